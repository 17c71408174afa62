package io.berth.control.task;

import io.berth.control.Scope;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.taskdef.TaskDefinitions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * The container health agents publish over telemetry, and the task health ECS works out from it: UNHEALTHY when
 * an essential container is, HEALTHY when every essential container with a health check is, UNKNOWN otherwise
 * (while checks are being evaluated, and always for a task without health checks on its essential containers).
 * A container without a health check stays UNKNOWN. Health changes no task's life: a service replaces its
 * unhealthy tasks, a standalone task keeps running.
 */
final class TaskHealth {

    private static final Logger log = LoggerFactory.getLogger(TaskHealth.class);

    /** The containers a definition checks, and those of them that are essential. */
    record Checks(Set<String> checked, Set<String> essential) {

        static Checks of(TaskDefinition definition) {
            Set<String> checked = definition.containerDefinitions().stream().filter(c -> c.healthCheck() != null)
                    .map(ContainerDefinition::name).collect(Collectors.toUnmodifiableSet());
            Set<String> essential = Tasks.essentialContainers(definition).stream().filter(checked::contains)
                    .collect(Collectors.toUnmodifiableSet());
            return new Checks(checked, essential);
        }
    }

    private final State state;

    TaskHealth(State state) {
        this.state = state;
    }

    /**
     * Records the health of a task's containers as the agent of {@code containerInstanceArn} published it
     * (HEALTHY, UNHEALTHY or UNKNOWN by container name). Only the instance the task runs on speaks for it: a
     * report from another instance, or for an unknown or stopped task, changes nothing.
     */
    void record(Scope scope, String containerInstanceArn, String taskArn, Map<String, String> containerHealth) {
        Optional<String> clusterName = Tasks.clusterOf(scope, taskArn);
        if (clusterName.isEmpty()) {
            log.debug("Ignoring health published by {} for {}, not a task of this account", containerInstanceArn,
                    taskArn);
            return;
        }
        Region region = state.region(scope);
        Optional<Task> known = Tasks.find(region, clusterName.get(), taskArn);
        Optional<Checks> checks = known.flatMap(task -> TaskDefinitions.resolve(region, task.taskDefinitionArn()))
                .map(Checks::of);
        // Read first, so that reports that change nothing, or that are not the instance's to make, cost no write.
        if (checks.isEmpty() || !isFor(known.get(), containerInstanceArn, taskArn)
                || withHealth(known.get(), checks.get(), containerHealth).equals(known.get())) {
            return;
        }
        state.write(scope, tx -> {
            Task task = Tasks.find(tx.region(), clusterName.get(), taskArn).orElse(null);
            if (task == null || !isFor(task, containerInstanceArn, taskArn)) {
                return null;
            }
            Task updated = withHealth(task, checks.get(), containerHealth);
            if (!updated.equals(task)) {
                tx.put(Tasks.KIND, Tasks.key(clusterName.get(), task),
                        updated.toBuilder().version(task.version() + 1).build());
            }
            return null;
        });
    }

    /** Whether the instance may report the task's health: the task runs there and has not stopped. */
    private static boolean isFor(Task task, String containerInstanceArn, String taskArn) {
        if (!task.containerInstanceArn().equals(containerInstanceArn)) {
            log.warn("Ignoring health published by {} for task {}, which runs on {}", containerInstanceArn, taskArn,
                    task.containerInstanceArn());
            return false;
        }
        return !Tasks.STOPPED.equals(task.lastStatus());
    }

    /** The task with the containers' reported health and the task health that follows from it. */
    static Task withHealth(Task task, Checks checks, Map<String, String> containerHealth) {
        List<Container> containers = new ArrayList<>();
        for (Container container : task.containers()) {
            HealthStatus reported = checks.checked().contains(container.name())
                    ? HealthStatus.fromValue(containerHealth.get(container.name())) : null;
            boolean valid = reported != null && reported != HealthStatus.UNKNOWN_TO_SDK_VERSION;
            containers.add(valid ? container.toBuilder().healthStatus(reported).build() : container);
        }
        return task.toBuilder().containers(containers).healthStatus(of(containers, checks)).build();
    }

    /** ECS's rule over the essential containers with health checks. */
    static HealthStatus of(List<Container> containers, Checks checks) {
        List<HealthStatus> essential = containers.stream().filter(c -> checks.essential().contains(c.name()))
                .map(Container::healthStatus).toList();
        if (essential.contains(HealthStatus.UNHEALTHY)) {
            return HealthStatus.UNHEALTHY;
        }
        boolean allHealthy = !essential.isEmpty() && essential.stream().allMatch(h -> h == HealthStatus.HEALTHY);
        return allHealthy ? HealthStatus.HEALTHY : HealthStatus.UNKNOWN;
    }
}
