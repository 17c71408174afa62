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
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.Task;

/** The container health agents publish over telemetry, and the task health ECS works out from it. */
final class TaskHealth {

    private final State state;

    TaskHealth(State state) {
        this.state = state;
    }

    /**
     * The health of a task's containers as its agent last published it over telemetry
     * (HEALTHY, UNHEALTHY or UNKNOWN, only for containers with health checks). The task is
     * UNHEALTHY when an essential container is, HEALTHY when every essential container with a
     * health check is, UNKNOWN otherwise. A report for an unknown or stopped task changes nothing.
     */
    void record(Scope scope, String taskArn, Map<String, String> containerHealth) {
        Optional<String> clusterName = Tasks.clusterOf(scope, taskArn);
        if (clusterName.isEmpty()) {
            return;
        }
        Region region = state.region(scope);
        Set<String> essential = Tasks.find(region, clusterName.get(), taskArn)
                .flatMap(task -> TaskDefinitions.resolve(region, task.taskDefinitionArn()))
                .map(Tasks::essentialContainers)
                .orElse(Set.of());
        state.write(scope, tx -> {
            Optional<Task> found = Tasks.find(tx.region(), clusterName.get(), taskArn);
            if (found.isEmpty() || Tasks.STOPPED.equals(found.get().lastStatus())) {
                return null;
            }
            Task task = found.get();
            List<Container> containers = new ArrayList<>();
            for (Container container : task.containers()) {
                String status = containerHealth.get(container.name());
                containers.add(status == null || !List.of("HEALTHY", "UNHEALTHY", "UNKNOWN").contains(status)
                        ? container : container.toBuilder().healthStatus(status).build());
            }
            List<String> checked = containers.stream()
                    .filter(c -> essential.contains(c.name()) && c.healthStatus() != null)
                    .map(Container::healthStatusAsString).toList();
            String taskHealth = checked.contains("UNHEALTHY") ? "UNHEALTHY"
                    : !checked.isEmpty() && checked.stream().allMatch("HEALTHY"::equals) ? "HEALTHY" : "UNKNOWN";
            Task updated = task.toBuilder().containers(containers).healthStatus(taskHealth).build();
            if (!updated.equals(task)) {
                tx.put(Tasks.KIND, Tasks.key(clusterName.get(), task),
                        updated.toBuilder().version(task.version() + 1).build());
            }
            return null;
        });
    }
}
