package io.berth.control.service;

import io.berth.control.task.Tasks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Rollback;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentRollbackMonitorsStatus;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * What a deployment's failed tasks do: the circuit breaker ends the primary deployment (rolling back when asked),
 * StopServiceDeployment rolls it back, and launches wait longer and longer while tasks keep failing. A task failed
 * when it stopped before it ran, when its essential container exited, or when the service stopped it for failing
 * its health checks.
 */
final class DeploymentFailures {

    /** Failures to start in a row after which launches wait, doubling from {@link #FIRST_DELAY}. */
    static final int THROTTLE_AFTER = 3;
    static final Duration FIRST_DELAY = Duration.ofSeconds(10);
    static final Duration MAX_DELAY = Duration.ofMinutes(15);

    private final ServiceStep step;

    DeploymentFailures(ServiceStep step) {
        this.step = step;
    }

    /** How long launches wait after this many failures in a row. */
    static Duration delay(int failures) {
        int doublings = Math.min(failures - THROTTLE_AFTER, 10);
        Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }

    private static boolean failed(Task task) {
        if (!Tasks.STOPPED.equals(task.lastStatus())) {
            return false;
        }
        return task.stopCode() == TaskStopCode.TASK_FAILED_TO_START
                || task.stopCode() == TaskStopCode.ESSENTIAL_CONTAINER_EXITED
                || task.stopCode() == TaskStopCode.SERVICE_SCHEDULER_INITIATED
                        && ServiceStep.FAILED_HEALTH_CHECKS.equals(task.stoppedReason());
    }

    /** The deployment's tasks that failed. */
    List<Task> of(Deployment deployment) {
        return step.current.stream().filter(t -> deployment.id().equals(t.startedBy()))
                .filter(DeploymentFailures::failed).toList();
    }

    /**
     * Trips the breaker of a primary deployment in progress whose failed tasks reach the
     * threshold: the deployment FAILS and, with rollback, the last completed deployment becomes
     * PRIMARY again. Answers whether it tripped.
     */
    boolean tripCircuitBreaker() {
        Deployment primary = step.primary();
        int failures = of(primary).size();
        int threshold = Deployments.CircuitBreaker.threshold(step.desired());
        DeploymentCircuitBreaker breaker = step.service().deploymentConfiguration().deploymentCircuitBreaker();
        boolean on = breaker != null && Boolean.TRUE.equals(breaker.enable());
        if (!on || primary.rolloutState() != DeploymentRolloutState.IN_PROGRESS || failures < threshold) {
            return false;
        }
        ServiceDeploymentCircuitBreaker triggered = ServiceDeploymentCircuitBreaker.builder()
                .status(ServiceDeploymentRollbackMonitorsStatus.TRIGGERED)
                .failureCount(failures).threshold(threshold).build();
        endPrimary("ECS deployment circuit breaker: tasks failed to start.",
                ServiceEvents.deploymentFailed(primary.id()), Boolean.TRUE.equals(breaker.rollback()),
                "Circuit breaker triggered", triggered, failures);
        return true;
    }

    /** StopServiceDeployment asked the primary in progress to roll back. Answers whether it did. */
    boolean stopRequested() {
        Deployment primary = step.primary();
        String sdKey = Deployments.key(step.clusterName, step.service().serviceName(), primary.id());
        boolean requested = step.tx.get(Services.DEPLOYMENTS, sdKey)
                .filter(sd -> sd.status() == ServiceDeploymentStatus.ROLLBACK_REQUESTED).isPresent();
        if (!requested || primary.rolloutState() != DeploymentRolloutState.IN_PROGRESS) {
            return false;
        }
        endPrimary("Service deployment stopped by request.", ServiceEvents.deploymentStopped(primary.id()), true,
                "Rollback requested", null, of(primary).size());
        return true;
    }

    /**
     * Ends the primary deployment as FAILED; when a rollback is wanted and an earlier deployment
     * COMPLETED, that one becomes PRIMARY again and its service revision the target.
     */
    private void endPrimary(String reason, String event, boolean wantRollback, String rollbackReason,
            ServiceDeploymentCircuitBreaker breakerState, int failures) {
        Deployment primary = step.primary();
        Instant now = step.now;
        Deployment failedOne = primary.toBuilder().rolloutState(DeploymentRolloutState.FAILED)
                .rolloutStateReason(reason).failedTasks(failures).updatedAt(now).build();
        Optional<Deployment> previous = step.service().deployments().stream()
                .filter(d -> !d.id().equals(primary.id()) && d.rolloutState() == DeploymentRolloutState.COMPLETED)
                .findFirst();
        Service service = ServiceEvents.add(step.service(), event, now);
        String serviceName = service.serviceName();
        String sdKey = Deployments.key(step.clusterName, serviceName, primary.id());
        boolean rollback = wantRollback && previous.isPresent();
        step.tx.get(Services.DEPLOYMENTS, sdKey).ifPresent(sd -> step.tx.put(Services.DEPLOYMENTS, sdKey, sd.toBuilder()
                .status(rollback ? ServiceDeploymentStatus.ROLLBACK_IN_PROGRESS : ServiceDeploymentStatus.STOPPED)
                .statusReason(reason)
                .deploymentCircuitBreaker(breakerState != null ? breakerState : sd.deploymentCircuitBreaker())
                .rollback(rollback ? Rollback.builder().reason(rollbackReason).startedAt(now)
                        .serviceRevisionArn(Deployments.revisionArn(step.tx.scope(), step.clusterName,
                                serviceName, previous.get().id())).build() : null)
                .stoppedAt(rollback ? null : now)
                .updatedAt(now).build()));
        List<Deployment> deployments = new ArrayList<>();
        if (rollback) {
            Deployment target = previous.get().toBuilder().status(Deployments.PRIMARY)
                    .desiredCount(step.desired())
                    .rolloutState(DeploymentRolloutState.IN_PROGRESS)
                    .rolloutStateReason("ECS deployment " + primary.id() + " rolling back to deploymentId "
                            + previous.get().id() + ".")
                    .updatedAt(now).build();
            deployments.add(target);
            service.deployments().stream().filter(d -> !d.id().equals(primary.id()) && !d.id().equals(target.id()))
                    .forEach(deployments::add);
            deployments.add(failedOne.toBuilder().status(Deployments.ACTIVE).build());
            service = service.toBuilder().taskDefinition(target.taskDefinition())
                    .networkConfiguration(target.networkConfiguration()).deployments(deployments).build();
            service = ServiceEvents.add(service, ServiceEvents.rollingBack(target.id()), now);
        } else {
            service.deployments().forEach(d -> deployments.add(d.id().equals(primary.id()) ? failedOne : d));
            service = service.toBuilder().deployments(deployments).build();
        }
        step.service(service);
    }

    /**
     * Whether launches wait because the primary's tasks keep failing: after {@link #THROTTLE_AFTER}
     * failures since its last task that kept running, the next launch waits {@link #FIRST_DELAY},
     * doubling with each further failure up to {@link #MAX_DELAY}.
     */
    boolean throttled(Deployment primary) {
        Instant now = step.now;
        // A task counts as a good start once it has kept running for FIRST_DELAY: tasks whose
        // container exits right after starting are briefly RUNNING and must not reset the count.
        Instant lastGood = step.current.stream().filter(t -> primary.id().equals(t.startedBy()))
                .filter(t -> Tasks.RUNNING.equals(t.lastStatus()) && t.startedAt() != null)
                .filter(t -> !now.isBefore(t.startedAt().plus(FIRST_DELAY)))
                .map(Task::startedAt).max(Comparator.naturalOrder()).orElse(Instant.MIN);
        List<Task> failures = of(primary).stream()
                .filter(t -> t.stoppedAt() != null && t.stoppedAt().isAfter(lastGood))
                .toList();
        if (failures.size() < THROTTLE_AFTER) {
            return false;
        }
        Instant lastFailure = failures.stream().map(Task::stoppedAt).max(Comparator.naturalOrder()).orElseThrow();
        if (!now.isBefore(lastFailure.plus(delay(failures.size())))) {
            return false;
        }
        step.service(ServiceEvents.addUnlessRecent(step.service(), ServiceEvents.throttled(), now));
        return true;
    }
}
