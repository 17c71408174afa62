package io.berth.agent;

import org.awaitility.Awaitility;

import io.berth.agent.engine.StateReporter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.ecs.model.ContainerStateChange;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;

/** Keeps every state change the engine reports, in order. */
public final class RecordingReporter implements StateReporter {

    private final List<SubmitTaskStateChangeRequest> changes = new CopyOnWriteArrayList<>();

    @Override
    public void submit(SubmitTaskStateChangeRequest change) {
        changes.add(change);
    }

    public List<SubmitTaskStateChangeRequest> of(String taskArn) {
        return changes.stream().filter(c -> c.task().equals(taskArn)).toList();
    }

    /** The task statuses reported, in order (changes that only confirm an attachment have none). */
    public List<String> statusesOf(String taskArn) {
        return of(taskArn).stream().map(SubmitTaskStateChangeRequest::status).filter(s -> s != null).toList();
    }

    /** The attachment changes reported for the task, as {@code attachmentArn=status}, in order. */
    public List<String> attachmentsOf(String taskArn) {
        return of(taskArn).stream().flatMap(c -> c.attachments().stream())
                .map(a -> a.attachmentArn() + "=" + a.status()).toList();
    }

    /** Waits for the task to be reported in {@code status} and returns that report. */
    public SubmitTaskStateChangeRequest await(String taskArn, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> statusesOf(taskArn).contains(status));
        return of(taskArn).stream().filter(c -> status.equals(c.status())).findFirst().orElseThrow();
    }

    /** The last reported state of one container of the task. */
    public ContainerStateChange lastOf(String taskArn, String containerName) {
        return of(taskArn).stream().flatMap(c -> c.containers().stream())
                .filter(c -> c.containerName().equals(containerName))
                .reduce((first, second) -> second).orElseThrow();
    }
}
