package io.berth.control.placement;

import io.berth.model.EcsException;
import java.math.BigDecimal;
import java.util.Locale;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

/**
 * Task-level sizes as ECS accepts them: CPU as units ({@code "1024"}) or vCPU ({@code "1 vCPU"}),
 * memory as MiB ({@code "2048"}) or GB ({@code "2 GB"}).
 */
public final class Sizes {

    private Sizes() {
    }

    public static int cpuUnits(String cpu) {
        return parse(cpu, "vcpu", 1024, "cpu");
    }

    public static int memoryMiB(String memory) {
        return parse(memory, "gb", 1024, "memory");
    }

    /** The task-level CPU units the overrides, or else the definition, set; null when neither sets any. */
    public static Integer taskCpu(TaskDefinition definition, TaskOverride overrides) {
        String cpu = overrides != null && overrides.cpu() != null ? overrides.cpu() : definition.cpu();
        return cpu == null ? null : cpuUnits(cpu);
    }

    /** The task-level MiB of memory the overrides, or else the definition, set; null when neither sets any. */
    public static Integer taskMemory(TaskDefinition definition, TaskOverride overrides) {
        String memory = overrides != null && overrides.memory() != null ? overrides.memory() : definition.memory();
        return memory == null ? null : memoryMiB(memory);
    }

    private static int parse(String value, String unit, int unitSize, String what) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith(unit)) {
                BigDecimal amount = new BigDecimal(text.substring(0, text.length() - unit.length()).trim());
                return amount.multiply(BigDecimal.valueOf(unitSize)).intValueExact();
            }
            int amount = Integer.parseInt(text);
            if (amount < 0) {
                throw new NumberFormatException();
            }
            return amount;
        } catch (NumberFormatException | ArithmeticException e) {
            throw EcsException.invalidParameter("Invalid " + what + " value: " + value);
        }
    }
}
