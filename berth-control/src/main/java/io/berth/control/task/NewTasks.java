package io.berth.control.task;

import io.berth.control.Scope;
import io.berth.control.fargate.FargateTasks;
import io.berth.control.instance.ContainerInstances;
import io.berth.control.network.TaskNetworks;
import io.berth.control.placement.Claim;
import io.berth.control.placement.Claims;
import io.berth.control.placement.Demand;
import io.berth.control.placement.InstanceLoad;
import io.berth.control.placement.PlacementView;
import io.berth.control.placement.Sizes;
import io.berth.control.state.Transaction;
import io.berth.model.Ids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

/**
 * Records a new PENDING task on the instance placement chose, with its claim and its roles, in one write. The task
 * has a task-level cpu and memory only when its definition or the overrides set them, as in ECS: its claim on the
 * instance is what its containers need otherwise.
 */
final class NewTasks {

    private final TaskRoles roles;
    private final TaskNetworks networks;

    NewTasks(TaskRoles roles, TaskNetworks networks) {
        this.roles = roles;
        this.networks = networks;
    }

    /** Records a new task on the instance and claims its resources, in the same write and in the view. */
    Task record(Transaction tx, Cluster cluster, PlacementView view, InstanceLoad load, Launch launch, Instant now) {
        String clusterName = cluster.clusterName();
        ContainerInstance instance = load.instance();
        Task task = task(tx.scope(), cluster, instance, load.attribute("ecs.availability-zone"), launch, now);
        String taskKey = Tasks.key(clusterName, task);
        if (launch.network() != null) {
            task = networks.attach(tx, task, launch.network());
            if (TaskNetworks.failedToAttach(task)) {
                // Stopped before it reached the instance: it takes nothing from it.
                tx.put(Tasks.KIND, taskKey, task);
                return task;
            }
        }
        // Before anything is written: a role that cannot be assumed refuses the launch.
        roles.issue(tx, taskKey, task, launch.definition());
        Claim claim = Claim.of(instance.containerInstanceArn(), launch.demand());
        ContainerInstance claimed = view.claim(load, claim, launch.group());
        // The instance's own cluster: a Fargate task's host is in the Fargate pool, not in the task's cluster.
        tx.put(ContainerInstances.KIND, ContainerInstances.keyOf(instance.containerInstanceArn()), claimed);
        tx.put(Tasks.KIND, taskKey, task);
        tx.put(Claims.KIND, taskKey, claim);
        return task;
    }

    private static Task task(Scope scope, Cluster cluster, ContainerInstance instance, String az, Launch launch,
            Instant now) {
        String clusterName = cluster.clusterName();
        String taskId = Tasks.newId(now);
        String taskArn = scope.arn("task/" + clusterName + "/" + taskId);
        TaskDefinition definition = launch.definition();
        Map<String, ContainerOverride> overrides = Demand.containerOverrides(launch.overrides());
        List<Container> containers = new ArrayList<>();
        List<ContainerOverride> echoed = new ArrayList<>();
        for (ContainerDefinition container : definition.containerDefinitions()) {
            ContainerOverride override = overrides.get(container.name());
            Integer cpu = override != null && override.cpu() != null ? override.cpu() : container.cpu();
            Integer memory = override != null && override.memory() != null ? override.memory() : container.memory();
            Integer reservation = override != null && override.memoryReservation() != null
                    ? override.memoryReservation() : container.memoryReservation();
            containers.add(Container.builder()
                    .containerArn(scope.arn("container/" + clusterName + "/" + taskId + "/" + Ids.uuid()))
                    .taskArn(taskArn)
                    .name(container.name())
                    .image(container.image())
                    .lastStatus(Tasks.PENDING)
                    .healthStatus(HealthStatus.UNKNOWN)
                    .cpu(String.valueOf(cpu == null ? 0 : cpu))
                    .memory(asText(memory))
                    .memoryReservation(asText(reservation))
                    .networkBindings(List.of())
                    .networkInterfaces(List.of())
                    .build());
            echoed.add(override != null ? override : ContainerOverride.builder().name(container.name()).build());
        }
        TaskOverride.Builder taskOverride = launch.overrides() == null ? TaskOverride.builder()
                : launch.overrides().toBuilder();
        Task.Builder task = Task.builder()
                .taskArn(taskArn)
                .clusterArn(cluster.clusterArn())
                .taskDefinitionArn(definition.taskDefinitionArn())
                .containerInstanceArn(instance.containerInstanceArn())
                .overrides(taskOverride.containerOverrides(echoed).inferenceAcceleratorOverrides(List.of()).build())
                .lastStatus(Tasks.PENDING)
                .desiredStatus(Tasks.RUNNING)
                .healthStatus(HealthStatus.UNKNOWN)
                .createdAt(now)
                .launchType(launch.launchType())
                .capacityProviderName(launch.capacityProviderName())
                .version(1L)
                .cpu(asText(Sizes.taskCpu(definition, launch.overrides())))
                .memory(asText(Sizes.taskMemory(definition, launch.overrides())))
                .containers(containers)
                .attachments(List.of())
                .group(launch.group())
                .startedBy(launch.startedBy())
                .tags(launch.tags())
                .availabilityZone(az == null || az.isEmpty() ? null : az)
                .enableExecuteCommand(false);
        return FargateTasks.onFargate(task, launch.launchType(), definition, launch.platformVersion()).build();
    }

    private static String asText(Integer size) {
        return size == null ? null : String.valueOf(size);
    }
}
