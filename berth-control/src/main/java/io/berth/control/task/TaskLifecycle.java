package io.berth.control.task;

import io.berth.control.network.TaskNetworks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.AttachmentStateChange;
import software.amazon.awssdk.services.ecs.model.Connectivity;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerStateChange;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * The task state machine. {@code desiredStatus} belongs to the control plane (RunTask sets
 * RUNNING, StopTask STOPPED); {@code lastStatus} moves only on the agent's reports and only
 * forwards, so a duplicate or late report changes nothing. Every change increments {@code version}.
 */
final class TaskLifecycle {

    private static final List<String> TASK_ORDER = List.of("PROVISIONING", "PENDING", "ACTIVATING", "RUNNING",
            "DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED");
    private static final List<String> CONTAINER_ORDER = List.of("PENDING", "RUNNING", "STOPPED");

    static final String USER_STOP_REASON = "Task stopped by user";
    static final String ESSENTIAL_EXITED = "Essential container in task exited";
    static final String FAILED_TO_START = "Task failed to start";

    /** One report from an agent: a task status (or none) with container changes and times. */
    record Report(String status, String reason, List<ContainerStateChange> containers, Instant pullStartedAt,
            Instant pullStoppedAt, Instant executionStoppedAt, List<AttachmentStateChange> attachments) {

        Report {
            containers = containers == null ? List.of() : List.copyOf(containers);
            attachments = attachments == null ? List.of() : List.copyOf(attachments);
        }
    }

    private TaskLifecycle() {
    }

    static boolean isTaskStatus(String status) {
        return status != null && List.of(Tasks.PENDING, Tasks.RUNNING, Tasks.STOPPED).contains(status);
    }

    static boolean isContainerStatus(String status) {
        return status != null && CONTAINER_ORDER.contains(status);
    }

    /** StopTask: the control plane wants the task stopped; its last status waits for the agent. */
    static Task stop(Task task, String reason, Instant now) {
        if (Tasks.STOPPED.equals(task.desiredStatus())) {
            return task;
        }
        return task.toBuilder()
                .desiredStatus(Tasks.STOPPED)
                .stoppingAt(now)
                .stopCode(TaskStopCode.USER_INITIATED)
                .stoppedReason(reason == null || reason.isEmpty() ? USER_STOP_REASON : reason)
                .version(task.version() + 1)
                .build();
    }

    /**
     * The task after an agent's report. Returns the same instance when the report changes nothing.
     *
     * @param essential names of the task's essential containers
     */
    static Task report(Task task, Report report, Set<String> essential, Instant now) {
        Task.Builder builder = task.toBuilder();
        List<Container> containers = new ArrayList<>(task.containers());
        for (ContainerStateChange change : report.containers()) {
            for (int i = 0; i < containers.size(); i++) {
                if (containers.get(i).name().equals(change.containerName())) {
                    containers.set(i, container(containers.get(i), change));
                }
            }
        }
        if (report.pullStartedAt() != null && task.pullStartedAt() == null) {
            builder.pullStartedAt(report.pullStartedAt());
        }
        if (report.pullStoppedAt() != null && task.pullStoppedAt() == null) {
            builder.pullStoppedAt(report.pullStoppedAt());
        }
        if (report.executionStoppedAt() != null && task.executionStoppedAt() == null) {
            builder.executionStoppedAt(report.executionStoppedAt());
        }
        if (isTaskStatus(report.status()) && rank(TASK_ORDER, report.status()) > rank(TASK_ORDER, task.lastStatus())) {
            builder.lastStatus(report.status());
            if (Tasks.RUNNING.equals(report.status())) {
                builder.startedAt(now).connectivity(Connectivity.CONNECTED).connectivityAt(now);
            } else if (Tasks.STOPPED.equals(report.status())) {
                stopped(task, builder, containers, report, essential, now);
            }
        }
        builder.containers(containers);
        Task changed = TaskNetworks.follow(builder.build(), report.attachments());
        if (changed.equals(task)) {
            return task;
        }
        return changed.toBuilder().version(task.version() + 1).build();
    }

    private static void stopped(Task task, Task.Builder builder, List<Container> containers, Report report,
            Set<String> essential, Instant now) {
        boolean essentialExited = containers.stream()
                .anyMatch(c -> essential.contains(c.name()) && Tasks.STOPPED.equals(c.lastStatus()));
        boolean everRan = task.startedAt() != null;
        builder.desiredStatus(Tasks.STOPPED)
                .stoppedAt(now)
                .stoppingAt(task.stoppingAt() != null ? task.stoppingAt() : now)
                .executionStoppedAt(task.executionStoppedAt() != null ? task.executionStoppedAt()
                        : report.executionStoppedAt() != null ? report.executionStoppedAt() : now);
        if (task.stopCode() == null) {
            TaskStopCode code = !everRan ? TaskStopCode.TASK_FAILED_TO_START : TaskStopCode.ESSENTIAL_CONTAINER_EXITED;
            String reason = report.reason() != null && !report.reason().isEmpty() ? report.reason()
                    : essentialExited || everRan ? ESSENTIAL_EXITED : FAILED_TO_START;
            builder.stopCode(code).stoppedReason(reason);
        }
        // A stopped task has no live containers, whether or not each one was reported.
        for (int i = 0; i < containers.size(); i++) {
            if (!Tasks.STOPPED.equals(containers.get(i).lastStatus())) {
                containers.set(i, containers.get(i).toBuilder().lastStatus(Tasks.STOPPED).build());
            }
        }
    }

    private static Container container(Container container, ContainerStateChange change) {
        if (!isContainerStatus(change.status())
                || rank(CONTAINER_ORDER, change.status()) < rank(CONTAINER_ORDER, container.lastStatus())) {
            return container;
        }
        Container.Builder builder = container.toBuilder().lastStatus(change.status());
        if (change.exitCode() != null) {
            builder.exitCode(change.exitCode());
        }
        if (change.reason() != null && !change.reason().isEmpty()) {
            builder.reason(change.reason());
        }
        if (change.hasNetworkBindings() && !change.networkBindings().isEmpty()) {
            builder.networkBindings(change.networkBindings());
        }
        if (change.runtimeId() != null && !change.runtimeId().isEmpty()) {
            builder.runtimeId(change.runtimeId());
        }
        if (change.imageDigest() != null && !change.imageDigest().isEmpty()) {
            builder.imageDigest(change.imageDigest());
        }
        return builder.build();
    }

    private static int rank(List<String> order, String status) {
        return order.indexOf(status);
    }
}
