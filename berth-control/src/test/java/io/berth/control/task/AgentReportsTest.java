package io.berth.control.task;

import static io.berth.control.task.TaskWorld.CALLER;
import static io.berth.control.task.TaskWorld.NOW;
import static io.berth.control.task.TaskWorld.SCOPE;
import static io.berth.control.task.TaskWorld.assertError;
import static io.berth.control.task.TaskWorld.containerChange;
import static io.berth.control.task.TaskWorld.hostPort;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.StopTaskRequest;
import software.amazon.awssdk.services.ecs.model.SubmitContainerStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.Task;

/** The agents' reports: how they move a task and when they give its resources back. */
class AgentReportsTest {

    private final TaskWorld world = new TaskWorld().cluster("prod");

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void theAgentsReportsMoveTheTaskAndStoppedGivesTheResourcesBackOnce() {
        world.definition("web", 256, 512, hostPort(8080));
        ContainerInstance host = world.instance("prod", "i1", 1024, 2048);
        Task task = world.runOne("web");
        NetworkBinding binding = NetworkBinding.builder().bindIP("0.0.0.0").containerPort(8080).hostPort(8080)
                .protocol("tcp").build();

        world.report(task, "RUNNING", containerChange("RUNNING", null).toBuilder().networkBindings(binding).build());
        Task running = world.describe(task);
        world.report(task, "STOPPED", containerChange("STOPPED", 137));
        world.report(task, "STOPPED", containerChange("STOPPED", 137));
        world.report(task, "RUNNING", containerChange("RUNNING", null));
        Task stopped = world.describe(task);

        assertThat(running.lastStatus()).isEqualTo("RUNNING");
        assertThat(running.startedAt()).isEqualTo(NOW);
        assertThat(running.connectivityAsString()).isEqualTo("CONNECTED");
        assertThat(running.version()).isEqualTo(2L);
        assertThat(running.containers().get(0).networkBindings()).containsExactly(binding);
        assertThat(running.containers().get(0).runtimeId()).isEqualTo("abc123");
        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.desiredStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stopCodeAsString()).isEqualTo("EssentialContainerExited");
        assertThat(stopped.stoppedReason()).isEqualTo("Essential container in task exited");
        assertThat(stopped.stoppedAt()).isEqualTo(NOW);
        assertThat(stopped.version()).isEqualTo(3L);
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(137);
        assertThat(stopped.containers().get(0).lastStatus()).isEqualTo("STOPPED");
        assertThat(world.remainingCpu(host)).isEqualTo(1024);
        assertThat(world.remainingMemory(host)).isEqualTo(2048);
        assertThat(world.usedPorts(host)).doesNotContain("8080");
        assertThat(Tasks.countsOn(world.state.region(SCOPE), "prod", host.containerInstanceArn()))
                .isEqualTo(new Tasks.Counts(0, 0));
    }

    @Test
    void countsFollowTheLastReportedStatusPerInstance() {
        world.definition("web", 10, 10);
        ContainerInstance host = world.instance("prod", "i1", 4096, 4096);
        List<Task> placed = world.tasks.runTask(CALLER, RunTaskRequest.builder().cluster("prod").taskDefinition("web")
                .count(3).build()).tasks();

        world.report(placed.get(0), "RUNNING");

        assertThat(Tasks.countsOn(world.state.region(SCOPE), "prod", host.containerInstanceArn()))
                .isEqualTo(new Tasks.Counts(1, 2));
        assertThat(Tasks.counts(world.state.region(SCOPE), "prod")).isEqualTo(new Tasks.Counts(1, 2));
    }

    @Test
    void aUserStopKeepsItsCodeWhenTheAgentReportsStopped() {
        world.definition("web", 10, 100);
        ContainerInstance host = world.instance("prod", "i1", 4096, 4096);
        Task task = world.runOne("web");
        world.report(task, "RUNNING");

        world.tasks.stopTask(CALLER, StopTaskRequest.builder().cluster("prod").task(task.taskArn()).reason("deploy")
                .build());
        world.report(task, "STOPPED", containerChange("STOPPED", 0));

        Task stopped = world.describe(task);
        assertThat(stopped.stopCodeAsString()).isEqualTo("UserInitiated");
        assertThat(stopped.stoppedReason()).isEqualTo("deploy");
        assertThat(world.remainingMemory(host)).isEqualTo(4096);
    }

    @Test
    void aTaskThatStopsWithoutRunningFailedToStart() {
        world.definition("web", 10, 100);
        world.instance("prod", "i1", 4096, 4096);
        Task task = world.runOne("web");

        world.tasks.submitTaskStateChange(CALLER, SubmitTaskStateChangeRequest.builder().cluster("prod")
                .task(task.taskArn()).status("STOPPED").reason("CannotPullContainerError: no such image").build());

        Task stopped = world.describe(task);
        assertThat(stopped.stopCodeAsString()).isEqualTo("TaskFailedToStart");
        assertThat(stopped.stoppedReason()).isEqualTo("CannotPullContainerError: no such image");
    }

    @Test
    void anOverlongStopReasonIsCutSoTheStopStillCounts() {
        world.definition("web", 10, 100);
        ContainerInstance host = world.instance("prod", "i1", 4096, 4096);
        Task task = world.runOne("web");

        world.tasks.submitTaskStateChange(CALLER, SubmitTaskStateChangeRequest.builder().cluster("prod")
                .task(task.taskArn()).status("STOPPED").reason("x".repeat(5000)).build());

        assertThat(world.describe(task).stoppedReason()).hasSize(1024);
        assertThat(world.remainingMemory(host)).isEqualTo(4096);
    }

    @Test
    void containerReportsOfOlderAgentsUpdateOneContainer() {
        world.definition("web", 10, 100);
        world.instance("prod", "i1", 4096, 4096);
        Task task = world.runOne("web");

        var answer = world.tasks.submitContainerStateChange(CALLER, SubmitContainerStateChangeRequest.builder()
                .cluster("prod").task(task.taskArn()).containerName("app").status("RUNNING").runtimeId("r1").build());

        Container container = world.describe(task).containers().get(0);
        assertThat(answer.acknowledgment()).isEqualTo("ACK");
        assertThat(container.lastStatus()).isEqualTo("RUNNING");
        assertThat(container.runtimeId()).isEqualTo("r1");
        assertThat(world.describe(task).lastStatus()).isEqualTo("PENDING");
    }

    @Test
    void reportsForUnknownTasksOrWithBadStatusesAreInvalidParameters() {
        world.definition("web", 10, 100);
        world.instance("prod", "i1", 4096, 4096);
        Task task = world.runOne("web");

        assertError(() -> world.tasks.submitTaskStateChange(CALLER, SubmitTaskStateChangeRequest.builder()
                .cluster("prod").task(SCOPE.arn("task/prod/0123456789abcdef0123456789abcdef")).status("RUNNING")
                .build()), "InvalidParameterException");
        assertError(() -> world.tasks.submitTaskStateChange(CALLER, SubmitTaskStateChangeRequest.builder()
                .cluster("prod").task(task.taskArn()).status("DANCING").build()), "InvalidParameterException");
        assertError(() -> world.tasks.submitContainerStateChange(CALLER, SubmitContainerStateChangeRequest.builder()
                .cluster("prod").task(task.taskArn()).status("RUNNING").build()), "InvalidParameterException");
    }

    @Test
    void aReportNamingAnotherClusterThanItsTaskIsRefusedAndChangesNothing() {
        world.cluster("dev");
        world.definition("web", 10, 100);
        world.instance("prod", "i1", 4096, 4096);
        Task task = world.runOne("web");

        assertError(() -> world.tasks.submitTaskStateChange(CALLER, SubmitTaskStateChangeRequest.builder()
                .cluster("dev").task(task.taskArn()).status("STOPPED").build()), "InvalidParameterException");
        assertError(() -> world.tasks.submitTaskStateChange(CALLER, SubmitTaskStateChangeRequest.builder()
                .task(task.taskArn()).status("STOPPED").build()), "InvalidParameterException");
        assertError(() -> world.tasks.submitContainerStateChange(CALLER, SubmitContainerStateChangeRequest.builder()
                .cluster(SCOPE.arn("cluster/dev")).task(task.taskArn()).containerName("app").status("STOPPED")
                .exitCode(1).build()), "InvalidParameterException");

        assertThat(world.describe(task).lastStatus()).isEqualTo("PENDING");
        assertThat(world.describe(task).containers().get(0).lastStatus()).isEqualTo("PENDING");
    }
}
