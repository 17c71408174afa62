package io.berth.control.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerStateChange;
import software.amazon.awssdk.services.ecs.model.Task;

class TaskLifecycleTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(10);
    private static final Instant T2 = T0.plusSeconds(20);

    private static Task pending() {
        return Task.builder().taskArn("arn:aws:ecs:us-east-1:1:task/c/t1").lastStatus("PENDING").desiredStatus("RUNNING")
                .version(1L).attachments(List.of())
                .containers(Container.builder().name("web").lastStatus("PENDING").build(),
                        Container.builder().name("sidecar").lastStatus("PENDING").build())
                .build();
    }

    private static TaskLifecycle.Report status(String status, ContainerStateChange... containers) {
        return new TaskLifecycle.Report(status, "", List.of(containers), null, null, null, List.of());
    }

    private static ContainerStateChange container(String name, String status, Integer exitCode) {
        return ContainerStateChange.builder().containerName(name).status(status).exitCode(exitCode).build();
    }

    @Test
    void runningSetsStartedAtOnceAndCountsAVersion() {
        Task running = TaskLifecycle.report(pending(), status("RUNNING"), Set.of("web"), T1);
        Task again = TaskLifecycle.report(running, status("RUNNING"), Set.of("web"), T2);

        assertThat(running.lastStatus()).isEqualTo("RUNNING");
        assertThat(running.startedAt()).isEqualTo(T1);
        assertThat(running.version()).isEqualTo(2L);
        assertThat(again).isSameAs(running);
    }

    @Test
    void statusNeverGoesBackwards() {
        Task stopped = TaskLifecycle.report(pending(), status("STOPPED"), Set.of("web"), T1);

        assertThat(TaskLifecycle.report(stopped, status("RUNNING", container("web", "RUNNING", null)), Set.of("web"), T2))
                .isSameAs(stopped);
        assertThat(TaskLifecycle.report(stopped, status("PENDING"), Set.of("web"), T2)).isSameAs(stopped);
    }

    @Test
    void anEssentialContainerExitingStopsWithItsCode() {
        Task running = TaskLifecycle.report(pending(), status("RUNNING"), Set.of("web"), T1);

        Task stopped = TaskLifecycle.report(running,
                status("STOPPED", container("web", "STOPPED", 1)), Set.of("web"), T2);

        assertThat(stopped.stopCodeAsString()).isEqualTo("EssentialContainerExited");
        assertThat(stopped.stoppedReason()).isEqualTo("Essential container in task exited");
        assertThat(stopped.desiredStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stoppedAt()).isEqualTo(T2);
        assertThat(stopped.executionStoppedAt()).isEqualTo(T2);
        assertThat(stopped.containers()).extracting(Container::lastStatus).containsOnly("STOPPED");
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(1);
        assertThat(stopped.containers().get(1).exitCode()).isNull();
    }

    @Test
    void stopTaskIsRecordedOnceAndWinsOverTheAgentsCode() {
        Task stopping = TaskLifecycle.stop(pending(), null, T1);
        Task stoppedTwice = TaskLifecycle.stop(stopping, "again", T2);
        Task stopped = TaskLifecycle.report(stopping, status("STOPPED"), Set.of("web"), T2);

        assertThat(stopping.desiredStatus()).isEqualTo("STOPPED");
        assertThat(stopping.lastStatus()).isEqualTo("PENDING");
        assertThat(stopping.stoppingAt()).isEqualTo(T1);
        assertThat(stoppedTwice).isSameAs(stopping);
        assertThat(stopped.stopCodeAsString()).isEqualTo("UserInitiated");
        assertThat(stopped.stoppedReason()).isEqualTo("Task stopped by user");
        assertThat(stopped.stoppingAt()).isEqualTo(T1);
    }

    @Test
    void containerReportsAloneMoveOnlyContainers() {
        Task task = TaskLifecycle.report(pending(),
                new TaskLifecycle.Report(null, null, List.of(container("sidecar", "RUNNING", null)), T0, T1, null,
                        List.of()), Set.of("web"), T2);

        assertThat(task.lastStatus()).isEqualTo("PENDING");
        assertThat(task.containers().get(1).lastStatus()).isEqualTo("RUNNING");
        assertThat(task.pullStartedAt()).isEqualTo(T0);
        assertThat(task.pullStoppedAt()).isEqualTo(T1);
        assertThat(task.version()).isEqualTo(2L);
    }

    @Test
    void unknownContainersAndStatusesChangeNothing() {
        Task task = pending();

        assertThat(TaskLifecycle.report(task, status(null, container("ghost", "RUNNING", null)), Set.of(), T1)).isSameAs(task);
        assertThat(TaskLifecycle.report(task, status(null, container("web", "EXPLODED", null)), Set.of(), T1)).isSameAs(task);
    }
}
