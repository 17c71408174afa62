package io.berth.control.service;

import io.berth.control.task.Tasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentRollbackMonitorsStatus;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;
import software.amazon.awssdk.services.ecs.model.ServiceRevisionSummary;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The end of a REPLICA or DAEMON service's step: the events of the tasks it started and stopped, each
 * deployment's counts, the primary's completion once all its tasks run healthy and no other task is left, the
 * service's counts and steady state, and the service deployments' task counts.
 */
final class DeploymentProgress {

    private final ServiceStep step;

    DeploymentProgress(ServiceStep step) {
        this.step = step;
    }

    void finish() {
        step.addTaskEvents();
        Deployment primary = step.primary();
        int desired = step.desired();
        List<Task> live = step.live();
        boolean othersGone = step.current.stream().noneMatch(t -> !Tasks.STOPPED.equals(t.lastStatus())
                && !(primary.id().equals(t.startedBy()) && Tasks.RUNNING.equals(t.desiredStatus())));
        long keptHealthy = live.stream().filter(t -> step.isKept(t, primary)).filter(step::isHealthy).count();
        boolean complete = othersGone && keptHealthy == desired && live.size() == desired;
        List<Deployment> deployments = new ArrayList<>();
        for (Deployment deployment : step.service().deployments()) {
            boolean isPrimary = deployment.id().equals(primary.id());
            if (!isPrimary && complete && primary.rolloutState() != DeploymentRolloutState.FAILED) {
                continue;
            }
            deployments.add(counted(deployment, isPrimary ? desired : (int) live.stream()
                    .filter(t -> deployment.id().equals(t.startedBy())).count()));
        }
        step.service(step.service().toBuilder().deployments(deployments).build());
        if (complete && step.primary().rolloutState() == DeploymentRolloutState.IN_PROGRESS) {
            completed();
        }
        step.count();
        if (step.drained()) {
            step.service(step.service().toBuilder().status(Services.INACTIVE).build());
        } else if (complete && Services.ACTIVE.equals(step.service().status())
                && step.service().deployments().size() == 1 && !ServiceEvents.lastIsSteady(step.service())) {
            step.service(ServiceEvents.add(step.service(), ServiceEvents.STEADY, step.now));
        }
        step.save();
        updateServiceDeployments();
    }

    private Deployment counted(Deployment deployment, int desiredCount) {
        int running = (int) step.current.stream().filter(t -> deployment.id().equals(t.startedBy()))
                .filter(t -> Tasks.RUNNING.equals(t.lastStatus())).count();
        int pending = (int) step.current.stream().filter(t -> deployment.id().equals(t.startedBy()))
                .filter(t -> Tasks.PENDING.equals(t.lastStatus())).count();
        int failed = new DeploymentFailures(step).of(deployment).size();
        Deployment counted = deployment.toBuilder().desiredCount(desiredCount).runningCount(running)
                .pendingCount(pending).failedTasks(failed).build();
        return counted.equals(deployment) ? deployment : counted.toBuilder().updatedAt(step.now).build();
    }

    private void completed() {
        Deployment primary = step.primary();
        List<Deployment> deployments = new ArrayList<>();
        for (Deployment deployment : step.service().deployments()) {
            deployments.add(deployment.id().equals(primary.id()) ? deployment.toBuilder()
                    .rolloutState(DeploymentRolloutState.COMPLETED)
                    .rolloutStateReason("ECS deployment " + primary.id() + " completed.")
                    .updatedAt(step.now).build() : deployment);
        }
        step.service(ServiceEvents.add(step.service().toBuilder().deployments(deployments).build(),
                ServiceEvents.deploymentCompleted(primary.id()), step.now));
        String serviceName = step.service().serviceName();
        String sdKey = Deployments.key(step.clusterName, serviceName, primary.id());
        Optional<ServiceDeployment> own = step.tx.get(Services.DEPLOYMENTS, sdKey)
                .filter(sd -> sd.status() == ServiceDeploymentStatus.IN_PROGRESS);
        own.ifPresent(sd -> step.tx.put(Services.DEPLOYMENTS, sdKey, sd.toBuilder()
                .status(ServiceDeploymentStatus.SUCCESSFUL).finishedAt(step.now).updatedAt(step.now)
                .deploymentCircuitBreaker(sd.deploymentCircuitBreaker() == null ? null
                        : sd.deploymentCircuitBreaker().toBuilder()
                        .status(sd.deploymentCircuitBreaker().status() == ServiceDeploymentRollbackMonitorsStatus.DISABLED
                                ? ServiceDeploymentRollbackMonitorsStatus.DISABLED
                                : ServiceDeploymentRollbackMonitorsStatus.MONITORING_COMPLETE).build())
                .build()));
        // A rollback ends the deployment that failed.
        String prefix = step.clusterName + "/" + serviceName + "/";
        for (ServiceDeployment stored : List.copyOf(step.tx.region().withPrefix(Services.DEPLOYMENTS, prefix))) {
            // Read through the transaction: the rollback may have begun in this very step.
            String storedKey = Deployments.keyOfArn(step.tx.scope(), "service-deployment",
                    stored.serviceDeploymentArn()).orElseThrow();
            ServiceDeployment sd = step.tx.get(Services.DEPLOYMENTS, storedKey).orElse(stored);
            if (sd.status() == ServiceDeploymentStatus.ROLLBACK_IN_PROGRESS) {
                step.tx.put(Services.DEPLOYMENTS, storedKey, sd.toBuilder()
                        .status(ServiceDeploymentStatus.ROLLBACK_SUCCESSFUL).finishedAt(step.now).updatedAt(step.now)
                        .build());
            }
        }
    }

    /** Keeps the task counts of the service deployments in progress as the deployments show them. */
    private void updateServiceDeployments() {
        for (Deployment deployment : step.service().deployments()) {
            String sdKey = Deployments.key(step.clusterName, step.service().serviceName(), deployment.id());
            Optional<ServiceDeployment> sd = step.tx.get(Services.DEPLOYMENTS, sdKey);
            if (sd.isEmpty() || sd.get().targetServiceRevision() == null) {
                continue;
            }
            ServiceRevisionSummary target = sd.get().targetServiceRevision().toBuilder()
                    .requestedTaskCount(deployment.desiredCount()).runningTaskCount(deployment.runningCount())
                    .pendingTaskCount(deployment.pendingCount()).build();
            ServiceDeployment updated = sd.get().toBuilder().targetServiceRevision(target)
                    .deploymentCircuitBreaker(sd.get().deploymentCircuitBreaker() == null ? null
                            : sd.get().deploymentCircuitBreaker().toBuilder()
                            .failureCount(deployment.failedTasks()).build())
                    .build();
            if (!updated.equals(sd.get())) {
                step.tx.put(Services.DEPLOYMENTS, sdKey, updated.toBuilder().updatedAt(step.now).build());
            }
        }
    }
}
