package io.berth.control.service;

import io.berth.control.task.Tasks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.StabilityStatus;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskSet;

/**
 * An externally controlled service's step: each task set is kept at its computed desired count. Its stopped,
 * unhealthy and draining-instance tasks are replaced, its excess stopped, and a deleted task set is forgotten
 * once its tasks have stopped. How traffic moves between task sets is the external controller's business.
 */
final class TaskSetScheduling {

    private final ServiceStep step;

    TaskSetScheduling(ServiceStep step) {
        this.step = step;
    }

    void run() {
        List<TaskSet> taskSets = new ArrayList<>();
        for (TaskSet declared : step.service().taskSets()) {
            TaskSet scheduled = schedule(declared);
            if (scheduled != null) {
                taskSets.add(scheduled);
            }
        }
        step.service(step.service().toBuilder().taskSets(taskSets).build());
        step.addTaskEvents();
        step.count();
        boolean allSteady = taskSets.stream().allMatch(t -> t.stabilityStatus() == StabilityStatus.STEADY_STATE);
        if (step.drained()) {
            step.service(step.service().toBuilder().status(Services.INACTIVE).build());
        } else if (Services.ACTIVE.equals(step.service().status()) && !taskSets.isEmpty() && allSteady
                && step.started.isEmpty() && step.stopped.isEmpty() && !ServiceEvents.lastIsSteady(step.service())) {
            step.service(ServiceEvents.add(step.service(), ServiceEvents.STEADY, step.now));
        }
        step.save();
    }

    /** Starts and stops the task set's tasks; answers it with its counts, or null once a deleted one is gone. */
    private TaskSet schedule(TaskSet declared) {
        TaskSet taskSet = TaskSetService.scaled(declared, step.desired());
        String id = taskSet.id();
        int target = taskSet.computedDesiredCount();
        List<Task> own = step.live().stream().filter(t -> id.equals(t.startedBy())).toList();
        List<Task> kept = own.stream().filter(t -> !step.fleet.drainingInstances().contains(t.containerInstanceArn())
                && !step.isUnhealthy(t)).toList();
        if (kept.size() > target) {
            kept.stream().sorted(Comparator.comparing((Task t) -> step.isHealthy(t) ? 1 : 0))
                    .limit(kept.size() - target).toList().forEach(step::stop);
        } else if (kept.size() < target && Services.ACTIVE.equals(step.service().status())
                && !TaskSetService.DRAINING.equals(taskSet.status())) {
            step.launch(target - kept.size(), step.launchOf(taskSet));
        }
        long keptHealthy = kept.stream().filter(step::isHealthy).count();
        for (Task task : own) {
            if (!kept.contains(task) && (!step.isHealthy(task) || keptHealthy >= target)) {
                step.stop(task);
            }
        }
        List<Task> ofSet = step.current.stream().filter(t -> id.equals(t.startedBy())).toList();
        boolean gone = ofSet.stream().allMatch(t -> Tasks.STOPPED.equals(t.lastStatus()));
        if (TaskSetService.DRAINING.equals(taskSet.status()) && gone) {
            return null;
        }
        int running = (int) ofSet.stream().filter(t -> Tasks.RUNNING.equals(t.lastStatus())).count();
        int pending = (int) ofSet.stream().filter(t -> Tasks.PENDING.equals(t.lastStatus())).count();
        long healthyNow = ofSet.stream().filter(step::isHealthy).count();
        boolean steady = healthyNow == target && running == target && pending == 0;
        StabilityStatus stability = steady ? StabilityStatus.STEADY_STATE : StabilityStatus.STABILIZING;
        TaskSet counted = taskSet.toBuilder().runningCount(running).pendingCount(pending).stabilityStatus(stability)
                .stabilityStatusAt(stability == declared.stabilityStatus() ? declared.stabilityStatusAt() : step.now)
                .build();
        return counted.equals(declared) ? declared : counted.toBuilder().updatedAt(step.now).build();
    }
}
