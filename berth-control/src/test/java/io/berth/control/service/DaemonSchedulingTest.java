package io.berth.control.service;

import static io.berth.control.service.ServiceWorld.CALLER;
import static io.berth.control.service.ServiceWorld.messages;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

class DaemonSchedulingTest {

    private final ServiceWorld world = new ServiceWorld();

    @AfterEach
    void close() {
        world.close();
    }

    private void daemon(String name, TaskDefinition definition) {
        world.plane.services().createService(CALLER, CreateServiceRequest.builder().cluster("c").serviceName(name)
                .taskDefinition(definition.taskDefinitionArn()).schedulingStrategy("DAEMON").build());
    }

    private static String instanceId(Task task) {
        return task.containerInstanceArn().substring(task.containerInstanceArn().lastIndexOf('/') + 1);
    }

    @Test
    void aDaemonServiceWhoseRoleCannotBeAssumedLaunchesNothingAndSaysWhy() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        daemon("agent", world.withTaskRole("agent"));

        world.reconcile();

        assertThat(world.tasks("c")).isEmpty();
        assertThat(messages(world.service("c", "agent"))).contains(
                "(service agent) failed to launch a task with (error Berth cannot assume task roles yet.).");
    }

    @Test
    void aDaemonServiceRunsOneTaskOnEveryInstanceIncludingLaterOnes() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        world.instance("c", "i2", 2048, 2048);
        daemon("agent", world.register("agent", "collector:1"));
        world.settle("c");
        assertThat(world.service("c", "agent").desiredCount()).isEqualTo(2);

        world.instance("c", "i3", 2048, 2048);
        world.settle("c");

        assertThat(world.liveTasksOf("c", "agent")).extracting(Task::containerInstanceArn)
                .map(arn -> arn.substring(arn.lastIndexOf('/') + 1)).containsExactlyInAnyOrder("i1", "i2", "i3");
        assertThat(world.service("c", "agent").desiredCount()).isEqualTo(3);
        assertThat(world.service("c", "agent").runningCount()).isEqualTo(3);
    }

    @Test
    void onADrainingInstanceTheDaemonTaskStopsAfterTheOtherTasks() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        daemon("agent", world.register("agent", "collector:1"));
        world.create("c", "web", world.register("web", "nginx:1"), 1);
        world.settle("c");
        world.instance("c", "i2", 2048, 2048);
        world.settle("c");
        String onFirst = world.liveTasksOf("c", "web").get(0).containerInstanceArn();
        String first = onFirst.substring(onFirst.lastIndexOf('/') + 1);

        world.drain("c", first);
        world.reconcile();
        boolean daemonStoppedEarly = world.liveTasksOf("c", "agent").stream()
                .anyMatch(t -> t.containerInstanceArn().equals(onFirst) && t.desiredStatus().equals("STOPPED"));
        world.settle("c");

        assertThat(daemonStoppedEarly).isFalse();
        assertThat(world.liveTasksOf("c", "agent")).singleElement()
                .satisfies(t -> assertThat(t.containerInstanceArn()).isNotEqualTo(onFirst));
        assertThat(world.liveTasksOf("c", "web")).singleElement()
                .satisfies(t -> assertThat(t.containerInstanceArn()).isNotEqualTo(onFirst));
    }

    @Test
    void aDaemonServiceRollsOutANewRevisionInstanceByInstance() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        world.instance("c", "i2", 2048, 2048);
        daemon("agent", world.register("agent", "collector:1"));
        world.settle("c");
        TaskDefinition rev2 = world.register("agent", "collector:2");

        world.plane.services().updateService(CALLER, UpdateServiceRequest.builder().cluster("c").service("agent")
                .taskDefinition(rev2.taskDefinitionArn()).build());
        world.settle("c");

        assertThat(world.liveTasksOf("c", "agent")).hasSize(2)
                .allSatisfy(t -> assertThat(t.taskDefinitionArn()).isEqualTo(rev2.taskDefinitionArn()));
        assertThat(world.service("c", "agent").deployments()).singleElement()
                .satisfies(d -> assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED));
    }

    @Test
    void aDaemonTaskThatFailsItsHealthChecksIsReplacedOnItsInstance() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        world.instance("c", "i2", 2048, 2048);
        daemon("agent", world.registerChecked("agent", "collector:1"));
        world.settle("c");
        Task sick = world.liveTasksOf("c", "agent").get(0);

        world.publishHealth(sick, "UNHEALTHY");
        world.settle("c");

        assertThat(world.liveTasksOf("c", "agent")).hasSize(2).extracting(Task::taskArn).doesNotContain(sick.taskArn());
        assertThat(world.liveTasksOf("c", "agent")).extracting(DaemonSchedulingTest::instanceId)
                .containsExactlyInAnyOrder("i1", "i2");
        assertThat(world.tasks("c")).filteredOn(t -> t.taskArn().equals(sick.taskArn())).singleElement()
                .satisfies(t -> assertThat(t.stoppedReason()).isEqualTo("Task failed container health checks"));
    }
}
