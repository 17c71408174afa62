package io.berth.control.task;

import io.berth.control.Caller;
import io.berth.control.cluster.Clusters;
import io.berth.control.fargate.FargateTasks;
import io.berth.control.state.State;
import io.berth.control.state.Transaction;
import io.berth.model.EcsException;
import java.time.Clock;
import software.amazon.awssdk.services.ecs.model.StopTaskRequest;
import software.amazon.awssdk.services.ecs.model.StopTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * StopTask and the service scheduler's stops: the desired status becomes STOPPED and the task keeps its last
 * status until its agent reports it stopped.
 */
final class TaskStops {

    private static final int MAX_STOP_REASON = 255;

    private final State state;
    private final Clock clock;

    TaskStops(State state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    StopTaskResponse stopTask(Caller caller, StopTaskRequest request) {
        if (request.task() == null || request.task().isEmpty()) {
            throw EcsException.invalidParameter("task can not be blank.");
        }
        if (request.reason() != null && request.reason().length() > MAX_STOP_REASON) {
            throw EcsException.invalidParameter("reason can have at most " + MAX_STOP_REASON + " characters.");
        }
        Task stopped = state.write(caller.scope(), tx -> {
            String clusterName = Clusters.requireActive(tx, request.cluster()).clusterName();
            Task task = Tasks.find(tx.region(), clusterName, request.task())
                    .flatMap(t -> tx.get(Tasks.KIND, Tasks.key(clusterName, t)))
                    .orElseThrow(() -> EcsException.invalidParameter("The referenced task was not found."));
            Task result = TaskLifecycle.stop(task, request.reason(), clock.instant());
            if (result != task) {
                tx.put(Tasks.KIND, Tasks.key(clusterName, result), result);
            }
            return result;
        });
        return StopTaskResponse.builder().task(FargateTasks.shown(stopped)).build();
    }

    /** A service scheduler wants the task stopped, with the given stop code; answers the task as it now is. */
    Task stopForService(Transaction tx, String clusterName, Task task, TaskStopCode code, String reason) {
        if (Tasks.STOPPED.equals(task.desiredStatus())) {
            return task;
        }
        Task stopped = TaskLifecycle.stop(task, reason, clock.instant()).toBuilder().stopCode(code).build();
        tx.put(Tasks.KIND, Tasks.key(clusterName, stopped), stopped);
        return stopped;
    }
}
