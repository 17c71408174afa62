package io.berth.control.placement;

import io.berth.control.query.Expression;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/**
 * A container instance as placement sees it: the instance with its ledger, and how many of its
 * tasks that have not stopped belong to each task group.
 */
public record InstanceLoad(ContainerInstance instance, Map<String, Integer> tasksByGroup) {

    public InstanceLoad {
        tasksByGroup = Map.copyOf(tasksByGroup);
    }

    public int tasksIn(String group) {
        return tasksByGroup.getOrDefault(group, 0);
    }

    public int tasks() {
        return tasksByGroup.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The value of an attribute, "" for one without a value, null when the instance lacks it. */
    public String attribute(String name) {
        for (Attribute attribute : instance.attributes()) {
            if (name.equals(attribute.name())) {
                return attribute.value() == null ? "" : attribute.value();
            }
        }
        return null;
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
}
