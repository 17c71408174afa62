package io.berth.control.task;

import io.berth.control.Scope;
import io.berth.control.cluster.Clusters;
import io.berth.control.fargate.FargateCapacity;
import io.berth.control.network.TaskNetworks;
import io.berth.control.placement.Demand;
import io.berth.control.placement.Sizes;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.tag.Tags;
import io.berth.control.taskdef.TaskDefinitions;
import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

/** What RunTask and StartTask accept: the checks they share, and the {@link Launch} a valid request makes. */
final class LaunchRules {

    private static final int MAX_STARTED_BY = 128;
    private static final int MAX_GROUP = 255;

    /** What RunTask and StartTask share of a request. */
    record Asked(String cluster, String taskDefinition, TaskOverride overrides, String launchType,
            String group, String startedBy, List<Tag> tags, Boolean managedTags, String propagateTags,
            NetworkConfiguration network) {
    }

    private final State state;

    LaunchRules(State state) {
        this.state = state;
    }

    /** Validates what RunTask and StartTask share and works out the task's demand and tags. */
    Launch launch(Scope scope, Asked asked) {
        String taskDefinitionRef = asked.taskDefinition();
        TaskOverride overrides = asked.overrides();
        String launchType = asked.launchType();
        String group = asked.group();
        String startedBy = asked.startedBy();
        if (taskDefinitionRef == null || taskDefinitionRef.isEmpty()) {
            throw EcsException.invalidParameter("taskDefinition can not be blank.");
        }
        if (startedBy != null && startedBy.length() > MAX_STARTED_BY) {
            throw EcsException.invalidParameter("startedBy can have at most " + MAX_STARTED_BY + " characters.");
        }
        if (group != null && (group.isEmpty() || group.length() > MAX_GROUP)) {
            throw EcsException.invalidParameter("group must be between 1 and " + MAX_GROUP + " characters.");
        }
        List<Tag> requestTags = Tags.validate(asked.tags() == null || asked.tags().isEmpty() ? null : asked.tags());
        String propagate = Tags.validPropagateTags(asked.propagateTags());
        Region region = state.region(scope);
        String clusterName = Clusters.requireActive(region, asked.cluster()).clusterName();
        TaskDefinition definition = TaskDefinitions.requireRunnable(region, taskDefinitionRef, launchType, "Tasks");
        validateOverrides(definition, overrides);
        NetworkConfiguration network = TaskNetworks.check(asked.network(), definition, launchType);
        // SERVICE propagates a service's tags, and a standalone task has no service: nothing to add.
        List<Tag> validTags = new ArrayList<>("TASK_DEFINITION".equals(propagate)
                ? Tags.merge(TaskDefinitions.tags(region, definition), requestTags) : requestTags);
        if (Boolean.TRUE.equals(asked.managedTags())) {
            validTags.add(Tag.builder().key("aws:ecs:clusterName").value(clusterName).build());
        }
        return new Launch(definition, overrides, TaskNetworks.demand(Demand.of(definition, overrides), definition,
                network), launchType, group != null ? group : "family:" + definition.family(), startedBy,
                List.copyOf(validTags), null, network, null);
    }

    /** The launch type a RunTask asks for, EC2 when it names none; FARGATE tasks run on the Fargate pool. */
    static String launchType(String requested) {
        if (requested == null || "EC2".equals(requested) || "EXTERNAL".equals(requested)
                || FargateCapacity.LAUNCH_TYPE.equals(requested)) {
            return requested == null ? "EC2" : requested;
        }
        throw EcsException.invalidParameter("Invalid launchType: " + requested
                + ". Tasks run with launchType EC2, EXTERNAL or FARGATE.");
    }

    /** Features a task could ask for that nothing here provides: refused rather than silently dropped. */
    static void refuseUnsupported(Boolean executeCommand, boolean volumes) {
        if (Boolean.TRUE.equals(executeCommand)) {
            throw EcsException.unsupportedFeature("ECS Exec (enableExecuteCommand) is not supported here.");
        }
        if (volumes) {
            throw EcsException.unsupportedFeature("Volume configurations (managed EBS volumes) are not supported here.");
        }
    }

    private static void validateOverrides(TaskDefinition definition, TaskOverride overrides) {
        if (overrides == null) {
            return;
        }
        Set<String> names = definition.containerDefinitions().stream().map(ContainerDefinition::name)
                .collect(Collectors.toSet());
        for (ContainerOverride override : overrides.containerOverrides()) {
            if (override.name() == null || !names.contains(override.name())) {
                throw EcsException.invalidParameter("Override for container named " + override.name()
                        + " is not a container in the TaskDefinition.");
            }
            for (Integer size : Arrays.asList(override.cpu(), override.memory(), override.memoryReservation())) {
                if (size != null && size < 0) {
                    throw EcsException.invalidParameter("Container overrides cannot have negative sizes.");
                }
            }
            if (override.memory() != null && override.memoryReservation() != null
                    && override.memoryReservation() > override.memory()) {
                throw EcsException.invalidParameter("The memoryReservation of container " + override.name()
                        + " must be less than its memory.");
            }
        }
        if (overrides.cpu() != null) {
            Sizes.cpuUnits(overrides.cpu());
        }
        if (overrides.memory() != null) {
            Sizes.memoryMiB(overrides.memory());
        }
    }
}
