package io.berth.control.placement;

import io.berth.control.query.Expression;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/**
 * A container instance as placement sees it: the instance with its ledger, and how many of its
 * tasks that have not stopped belong to each task group. Placement asks the same questions of
 * every instance for every task, so the answers (what remains, which ports are taken, the
 * attributes by name) are worked out once per instance state.
 */
public final class InstanceLoad {

    private final ContainerInstance instance;
    private final Map<String, Integer> tasksByGroup;
    private final int remainingCpu;
    private final int remainingMemory;
    private final Set<String> usedTcpPorts;
    private final Set<String> usedUdpPorts;
    /** Kept here rather than read through the instance: placement asks it of every instance per task. */
    private final boolean active;
    private Map<String, String> attributes;
    /** The last group asked about and its count: placement asks about one group for every instance. */
    private GroupCount lastAsked;

    private record GroupCount(String group, int count) {
    }

    public InstanceLoad(ContainerInstance instance, Map<String, Integer> tasksByGroup) {
        this.instance = Objects.requireNonNull(instance, "instance");
        this.tasksByGroup = Map.copyOf(tasksByGroup);
        this.remainingCpu = Ledger.remainingInteger(instance, Ledger.CPU);
        this.remainingMemory = Ledger.remainingInteger(instance, Ledger.MEMORY);
        this.usedTcpPorts = Ledger.usedPorts(instance, Ledger.PORTS);
        this.usedUdpPorts = Ledger.usedPorts(instance, Ledger.PORTS_UDP);
        this.active = Placer.ACTIVE.equals(instance.status());
    }

    private InstanceLoad(InstanceLoad load, Map<String, Integer> tasksByGroup) {
        this.instance = load.instance;
        this.tasksByGroup = Map.copyOf(tasksByGroup);
        this.remainingCpu = load.remainingCpu;
        this.remainingMemory = load.remainingMemory;
        this.usedTcpPorts = load.usedTcpPorts;
        this.usedUdpPorts = load.usedUdpPorts;
        this.active = load.active;
        this.attributes = load.attributes;
    }

    /** The same instance with other task counts; what was worked out about the instance is kept. */
    public InstanceLoad withGroups(Map<String, Integer> groups) {
        return groups == tasksByGroup || groups.equals(tasksByGroup) ? this : new InstanceLoad(this, groups);
    }

    public ContainerInstance instance() {
        return instance;
    }

    public Map<String, Integer> tasksByGroup() {
        return tasksByGroup;
    }

    public int tasksIn(String group) {
        GroupCount last = lastAsked;
        if (last != null && last.group() == group) {
            return last.count();
        }
        int count = tasksByGroup.getOrDefault(group, 0);
        lastAsked = new GroupCount(group, count);
        return count;
    }

    public int tasks() {
        int tasks = 0;
        for (int count : tasksByGroup.values()) {
            tasks += count;
        }
        return tasks;
    }

    /** Whether the instance is ACTIVE, the only status placement chooses from. */
    boolean isActive() {
        return active;
    }

    int remainingCpu() {
        return remainingCpu;
    }

    int remainingMemory() {
        return remainingMemory;
    }

    /** What remains of CPU or MEMORY. */
    int remaining(String resource) {
        return Ledger.CPU.equals(resource) ? remainingCpu : remainingMemory;
    }

    Set<String> usedTcpPorts() {
        return usedTcpPorts;
    }

    Set<String> usedUdpPorts() {
        return usedUdpPorts;
    }

    /** The value of an attribute, "" for one without a value, null when the instance lacks it. */
    public String attribute(String name) {
        Map<String, String> byName = attributes;
        if (byName == null) {
            byName = new HashMap<>();
            for (Attribute attribute : instance.attributes()) {
                byName.putIfAbsent(attribute.name(), attribute.value() == null ? "" : attribute.value());
            }
            attributes = byName;
        }
        return byName.get(name);
    }

    /** The instance as a memberOf expression sees it. */
    Expression.Subject subject() {
        return new Expression.Subject() {
            @Override
            public Optional<String> attribute(String name) {
                return Optional.ofNullable(InstanceLoad.this.attribute(name));
            }

            @Override
            public List<String> property(String name) {
                return switch (name) {
                    case "task:group" -> tasksByGroup.entrySet().stream().filter(e -> e.getValue() > 0)
                            .map(Map.Entry::getKey).sorted().toList();
                    case "runningTasksCount" -> List.of(String.valueOf(tasks()));
                    case "agentConnected" -> List.of(String.valueOf(Boolean.TRUE.equals(instance.agentConnected())));
                    case "ec2InstanceId" -> single(instance.ec2InstanceId());
                    case "registeredAt" -> single(instance.registeredAt() == null ? null
                            : instance.registeredAt().toString());
                    case "agentVersion" -> single(instance.versionInfo() == null ? null
                            : instance.versionInfo().agentVersion());
                    default -> List.of();
                };
            }
        };
    }

    private static List<String> single(String value) {
        return value == null ? List.of() : List.of(value);
    }

    /** The instance id: the last part of its ARN. */
    public String instanceId() {
        String arn = instance.containerInstanceArn();
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InstanceLoad load && instance.equals(load.instance)
                && tasksByGroup.equals(load.tasksByGroup);
    }

    @Override
    public int hashCode() {
        return Objects.hash(instance, tasksByGroup);
    }

    @Override
    public String toString() {
        return "InstanceLoad[" + instance.containerInstanceArn() + ", " + tasksByGroup + "]";
    }
}
