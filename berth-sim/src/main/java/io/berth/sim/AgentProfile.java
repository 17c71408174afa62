package io.berth.sim;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a simulated agent registers and how its tasks behave.
 *
 * @param cpu CPU units registered (1024 per vCPU)
 * @param memory memory registered, in MiB
 * @param attributes custom attributes registered with the instance
 * @param zones availability zones; the agents of a fleet take them in turn
 * @param instanceTypes EC2 instance types; the agents of a fleet take them in turn
 * @param runDelay from receiving a task to reporting it RUNNING
 * @param taskRunTime how long a task runs before its essential container exits with 0, or null to run until stopped
 * @param failureRate the share of tasks, from 0 to 1, whose essential container exits with 1 soon after starting
 * @param telemetry whether the agent also keeps a telemetry (TCS) session, publishing metrics and instance status
 *     every 20 seconds as the official agent does
 * @param failingFamilies task-definition families whose tasks never run: their essential container exits with 1
 *     as it starts, and the task goes from PENDING straight to STOPPED
 */
public record AgentProfile(int cpu, int memory, Map<String, String> attributes, List<String> zones,
        List<String> instanceTypes, Duration runDelay, Duration taskRunTime, double failureRate, boolean telemetry,
        Set<String> failingFamilies) {

    public AgentProfile {
        failingFamilies = Set.copyOf(failingFamilies);
        attributes = Map.copyOf(attributes);
        zones = List.copyOf(zones);
        instanceTypes = List.copyOf(instanceTypes);
        Objects.requireNonNull(runDelay, "runDelay");
        if (zones.isEmpty() || instanceTypes.isEmpty()) {
            throw new IllegalArgumentException("A profile needs at least one zone and one instance type");
        }
        if (failureRate < 0 || failureRate > 1) {
            throw new IllegalArgumentException("failureRate must be between 0 and 1");
        }
    }

    /**
     * Two vCPUs and 3764 MiB like an m5.large, in one zone; tasks start after 100 ms and run until stopped; no
     * telemetry session.
     */
    public static AgentProfile standard() {
        return new AgentProfile(2048, 3764, Map.of(), List.of("us-east-1a"), List.of("m5.large"),
                Duration.ofMillis(100), null, 0, false, Set.of());
    }

    public AgentProfile withResources(int cpu, int memory) {
        return new AgentProfile(cpu, memory, attributes, zones, instanceTypes, runDelay, taskRunTime, failureRate,
                telemetry, failingFamilies);
    }

    public AgentProfile withAttributes(Map<String, String> attributes) {
        return new AgentProfile(cpu, memory, attributes, zones, instanceTypes, runDelay, taskRunTime, failureRate,
                telemetry, failingFamilies);
    }

    public AgentProfile withZones(String... zones) {
        return new AgentProfile(cpu, memory, attributes, List.of(zones), instanceTypes, runDelay, taskRunTime,
                failureRate, telemetry, failingFamilies);
    }

    public AgentProfile withInstanceTypes(String... instanceTypes) {
        return new AgentProfile(cpu, memory, attributes, zones, List.of(instanceTypes), runDelay, taskRunTime,
                failureRate, telemetry, failingFamilies);
    }

    public AgentProfile withRunDelay(Duration runDelay) {
        return new AgentProfile(cpu, memory, attributes, zones, instanceTypes, runDelay, taskRunTime, failureRate,
                telemetry, failingFamilies);
    }

    public AgentProfile withTaskRunTime(Duration taskRunTime) {
        return new AgentProfile(cpu, memory, attributes, zones, instanceTypes, runDelay, taskRunTime, failureRate,
                telemetry, failingFamilies);
    }

    public AgentProfile withFailureRate(double failureRate) {
        return new AgentProfile(cpu, memory, attributes, zones, instanceTypes, runDelay, taskRunTime, failureRate,
                telemetry, failingFamilies);
    }

    public AgentProfile withTelemetry(boolean telemetry) {
        return new AgentProfile(cpu, memory, attributes, zones, instanceTypes, runDelay, taskRunTime, failureRate,
                telemetry, failingFamilies);
    }

    /** Tasks of these families never reach RUNNING, as a revision whose container exits at once. */
    public AgentProfile withFailingFamilies(String... families) {
        return new AgentProfile(cpu, memory, attributes, zones, instanceTypes, runDelay, taskRunTime, failureRate,
                telemetry, Set.of(families));
    }

    String zone(int index) {
        return zones.get(index % zones.size());
    }

    String instanceType(int index) {
        return instanceTypes.get(index % instanceTypes.size());
    }
}
