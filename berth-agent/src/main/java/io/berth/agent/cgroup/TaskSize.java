package io.berth.agent.cgroup;

/**
 * A task's size as the control plane sends it: {@code vcpu} in vCPUs (CPU units ÷ 1024), {@code memoryMib} in MiB;
 * either may be null when the task definition leaves it out.
 */
public record TaskSize(Double vcpu, Integer memoryMib) {

    /** The CFS period the official agent uses for task quotas: 100 ms. */
    static final long CPU_PERIOD_MICROS = 100_000;
    /** The smallest CFS quota the kernel accepts. */
    static final long MINIMUM_CPU_QUOTA_MICROS = 1_000;

    public boolean limitsCpu() {
        return vcpu != null && vcpu > 0;
    }

    public boolean limitsMemory() {
        return memoryMib != null && memoryMib > 0;
    }

    /** Whether the task sets any limit at all. */
    public boolean set() {
        return limitsCpu() || limitsMemory();
    }

    /** The CPU time the task may use per {@link #CPU_PERIOD_MICROS}: its vCPUs times the period. */
    long cpuQuotaMicros() {
        return Math.max(MINIMUM_CPU_QUOTA_MICROS, Math.round(vcpu * CPU_PERIOD_MICROS));
    }

    long memoryBytes() {
        return memoryMib * 1024L * 1024L;
    }
}
