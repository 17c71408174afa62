package io.berth.control.service;

import io.berth.control.task.ServiceLaunch;
import io.berth.control.task.ServicePlacements;
import io.berth.control.task.Tasks;
import io.berth.model.EcsException;
import java.util.HashSet;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * A DAEMON service's step: it wants one task of its PRIMARY deployment on each ACTIVE instance that can take it.
 * A task that failed its health checks is replaced on its instance once it has stopped.
 */
final class DaemonScheduling {

    private final ServiceStep step;

    DaemonScheduling(ServiceStep step) {
        this.step = step;
    }

    void run() {
        schedule();
        if (Services.ACTIVE.equals(step.service().status())) {
            step.service(step.service().toBuilder().desiredCount(desiredCount()).build());
        }
    }

    private void schedule() {
        Deployment primary = step.primary();
        boolean active = Services.ACTIVE.equals(step.service().status());
        boolean launching = active && !new DeploymentFailures(step).throttled(primary);
        // Tasks on instances that are no longer ACTIVE go; each ACTIVE instance keeps one task of the
        // primary. An older deployment's task goes only when the primary may launch its replacement.
        Set<String> kept = new HashSet<>();
        for (Task task : step.live()) {
            String instance = task.containerInstanceArn();
            boolean wanted = active && step.fleet.activeInstances().contains(instance);
            if (!wanted) {
                // On a draining instance the daemon goes last, once the instance's other tasks have stopped.
                if (!active || !othersLiveOn(instance)) {
                    step.stop(task);
                }
            } else if (primary.id().equals(task.startedBy())) {
                if (step.isUnhealthy(task) || !kept.add(instance)) {
                    step.stop(task);
                }
            } else if (launching) {
                step.stop(task);
            }
        }
        if (!launching) {
            return;
        }
        ServiceLaunch launch = step.launchOf(primary);
        ServicePlacements placements = step.placements(launch);
        for (String instanceArn : step.fleet.activeInstances().stream().sorted().toList()) {
            boolean running = step.current.stream().anyMatch(t -> instanceArn.equals(t.containerInstanceArn())
                    && !Tasks.STOPPED.equals(t.lastStatus()));
            if (running) {
                // An older task still holds the instance until its agent reports it stopped.
                continue;
            }
            if (placements.unfit(instanceArn, launch).isEmpty()) {
                try {
                    step.started(placements.placeOn(instanceArn, launch));
                } catch (EcsException e) {
                    step.service(ServiceEvents.addUnlessRecent(step.service(),
                            ServiceEvents.failedToLaunch(e.getMessage()), step.now));
                    return;
                }
            }
        }
    }

    /** Whether tasks other than this service's have not stopped on the instance. */
    private boolean othersLiveOn(String instanceArn) {
        String group = Services.GROUP_PREFIX + step.service().serviceName();
        return step.tx.region().withPrefix(Tasks.KIND, step.clusterName + "/").stream()
                .anyMatch(t -> instanceArn.equals(t.containerInstanceArn()) && !group.equals(t.group())
                        && !Tasks.STOPPED.equals(t.lastStatus()));
    }

    /** The ACTIVE instances that run a task of the primary: a daemon service's desired count. */
    private int desiredCount() {
        Deployment primary = step.primary();
        return (int) step.fleet.activeInstances().stream().filter(arn -> step.current.stream()
                .anyMatch(t -> arn.equals(t.containerInstanceArn()) && primary.id().equals(t.startedBy())
                        && Tasks.RUNNING.equals(t.desiredStatus()) && !Tasks.STOPPED.equals(t.lastStatus())))
                .count();
    }
}
