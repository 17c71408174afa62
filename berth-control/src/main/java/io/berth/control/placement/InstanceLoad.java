package io.berth.control.placement;

import java.util.Map;
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

    /** The instance id: the last part of its ARN. */
    public String instanceId() {
        String arn = instance.containerInstanceArn();
        return arn.substring(arn.lastIndexOf('/') + 1);
    }
}
