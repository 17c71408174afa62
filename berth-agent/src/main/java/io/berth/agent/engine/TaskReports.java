package io.berth.agent.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.AttachmentStateChange;
import software.amazon.awssdk.services.ecs.model.ContainerStateChange;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;

/**
 * The state changes of one task sent to the control plane: its network attachment once confirmed, as a change of its
 * own the way the official agent sends it; then each reportable status once, containers riding along with the task's
 * own change (or alone once the task is RUNNING); failed sends retried with backoff. Used by the task's thread only.
 */
final class TaskReports {

    private static final Logger LOG = LoggerFactory.getLogger(TaskReports.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    /** What a report says of the task besides its containers. */
    record TaskState(Status known, String reason, Instant pullStartedAt, Instant pullStoppedAt,
            Instant executionStoppedAt) {
    }

    private final String taskArn;
    private final String cluster;
    private final StateReporter reporter;
    private Status sent = Status.NONE;
    private Instant stoppedAt;
    private Instant nextAttempt = Instant.MIN;
    private Duration retry = FIRST_RETRY;
    private String attachmentToConfirm;

    TaskReports(String taskArn, String cluster, StateReporter reporter) {
        this.taskArn = taskArn;
        this.cluster = cluster;
        this.reporter = reporter;
    }

    /** Takes back what an earlier run had reported. */
    void restore(Status savedSent, Instant savedStoppedAt) {
        sent = savedSent;
        stoppedAt = savedStoppedAt;
    }

    /** The task status last accepted by the control plane. */
    Status sent() {
        return sent;
    }

    /** When STOPPED was accepted, or null. */
    Instant stoppedAt() {
        return stoppedAt;
    }

    /** The task's network attachment is up: the next report confirms it as ATTACHED. */
    void confirmAttachment(String attachmentArn) {
        attachmentToConfirm = attachmentArn;
    }

    /** Sends what changed since the last accepted report, unless a failed send is still waiting for its retry. */
    void report(TaskState task, Collection<TaskContainer> containers) {
        Instant now = Instant.now();
        if (now.isBefore(nextAttempt)) {
            return;
        }
        if (attachmentToConfirm != null) {
            SubmitTaskStateChangeRequest attached = SubmitTaskStateChangeRequest.builder().cluster(cluster)
                    .task(taskArn).attachments(AttachmentStateChange.builder().attachmentArn(attachmentToConfirm)
                            .status("ATTACHED").build()).build();
            if (!send(attached, "attachment " + attachmentToConfirm, now)) {
                return;
            }
            attachmentToConfirm = null;
        }
        boolean taskChanged = task.known().reportable() && task.known().compareTo(sent) > 0;
        List<TaskContainer> changed = containers.stream()
                .filter(c -> c.known.reportable() && c.known.compareTo(c.sent) > 0)
                .toList();
        // container changes ride along with the task's own, or on their own once the task is RUNNING
        if (!taskChanged && (changed.isEmpty() || sent != Status.RUNNING)) {
            return;
        }
        Status status = taskChanged ? task.known() : sent;
        if (!send(changeRequest(status, task, changed), "state " + status, now)) {
            return;
        }
        sent = status;
        for (TaskContainer container : changed) {
            container.sent = container.known;
        }
        if (sent == Status.STOPPED) {
            stoppedAt = Instant.now();
        }
    }

    /** Sends a change; false when it is to be tried again later (one the control plane refuses for good is dropped). */
    private boolean send(SubmitTaskStateChangeRequest change, String what, Instant now) {
        try {
            reporter.submit(change);
        } catch (InvalidParameterException e) {
            LOG.warn("Task {}: the control plane refused {} for good: {}", taskArn, what, e.getMessage());
        } catch (RuntimeException e) {
            LOG.info("Task {}: reporting {} failed, retrying in {}: {}", taskArn, what, retry, e.getMessage());
            nextAttempt = now.plus(retry);
            retry = min(LAST_RETRY, Duration.ofMillis((long) (retry.toMillis() * 1.3)));
            return false;
        }
        retry = FIRST_RETRY;
        return true;
    }

    private SubmitTaskStateChangeRequest changeRequest(Status status, TaskState task, List<TaskContainer> changed) {
        List<ContainerStateChange> containerChanges = new ArrayList<>();
        for (TaskContainer container : changed) {
            ContainerStateChange.Builder builder = ContainerStateChange.builder()
                    .containerName(container.name())
                    .runtimeId(container.dockerId)
                    .status(container.known.name())
                    .networkBindings(container.ports.stream().map(p -> NetworkBinding.builder()
                            .bindIP(p.hostIp()).containerPort(p.containerPort()).hostPort(p.hostPort())
                            .protocol(TransportProtocol.fromValue(p.protocol())).build()).toList());
            if (container.known == Status.STOPPED) {
                builder.exitCode(container.exitCode).reason(truncate(container.reason));
            }
            containerChanges.add(builder.build());
        }
        SubmitTaskStateChangeRequest.Builder request = SubmitTaskStateChangeRequest.builder()
                .cluster(cluster)
                .task(taskArn)
                .status(status.name())
                .reason(status == Status.STOPPED && task.reason() != null ? truncate(task.reason()) : "")
                .containers(containerChanges)
                .pullStartedAt(task.pullStartedAt())
                .pullStoppedAt(task.pullStoppedAt());
        if (status == Status.STOPPED) {
            request.executionStoppedAt(task.executionStoppedAt() != null ? task.executionStoppedAt() : Instant.now());
        }
        return request.build();
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1024 ? text : text.substring(0, 1024);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
