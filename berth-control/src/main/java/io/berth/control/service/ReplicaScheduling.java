package io.berth.control.service;

import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * A REPLICA service's step: it wants {@code desiredCount} tasks of its PRIMARY deployment on ACTIVE instances.
 * Tasks of older deployments, tasks on DRAINING instances and tasks that failed their health checks are replaced:
 * new tasks start while the service stays at or below {@code maximumPercent} of the desired count (tasks still
 * RUNNING or PENDING, stopping ones included), and replaced tasks stop while at least
 * {@code minimumHealthyPercent} stay healthy.
 */
final class ReplicaScheduling {

    private final ServiceStep step;

    ReplicaScheduling(ServiceStep step) {
        this.step = step;
    }

    void run() {
        DeploymentFailures failures = new DeploymentFailures(step);
        if (failures.stopRequested() || failures.tripCircuitBreaker()) {
            return;
        }
        Deployment primary = step.primary();
        int desired = step.desired();
        DeploymentConfiguration config = step.service().deploymentConfiguration();
        int maxTotal = desired * config.maximumPercent() / 100;
        int minHealthy = (desired * config.minimumHealthyPercent() + 99) / 100;

        List<Task> keep = kept(primary);
        // Scale in: the excess of the primary goes first, the least advanced tasks before the others.
        if (keep.size() > desired) {
            keep.stream().sorted(Comparator.comparing((Task t) -> step.isHealthy(t) ? 1 : 0))
                    .limit(keep.size() - desired).toList().forEach(step::stop);
            keep = kept(primary);
        }
        boolean launching = Services.ACTIVE.equals(step.service().status())
                && primary.rolloutState() != DeploymentRolloutState.FAILED && !failures.throttled(primary);
        if (launching && keep.size() < desired) {
            int room = Math.max(0, Math.max(maxTotal, desired) - step.inFlight());
            // With maximumPercent at 100 the first room comes from stopping a replaced task below.
            step.launch(Math.min(desired - keep.size(), room));
        }
        // Replaced tasks that are not healthy can go at once; healthy ones while enough others stay healthy.
        List<Task> replaced = step.live().stream().filter(t -> !step.isKept(t, primary)).toList();
        replaced.stream().filter(t -> !step.isHealthy(t)).toList().forEach(step::stop);
        int healthy = (int) step.live().stream().filter(step::isHealthy).count();
        for (Task task : replaced) {
            if (step.isHealthy(task) && healthy - 1 >= minHealthy) {
                step.stop(task);
                healthy--;
            }
        }
        if (launching) {
            keep = kept(primary);
            if (keep.size() < desired) {
                int room = Math.max(0, Math.max(maxTotal, desired) - step.inFlight());
                step.launch(Math.min(desired - keep.size(), room));
            }
        }
    }

    private List<Task> kept(Deployment primary) {
        return step.live().stream().filter(t -> step.isKept(t, primary)).toList();
    }
}
