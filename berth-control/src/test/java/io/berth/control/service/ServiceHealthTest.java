package io.berth.control.service;

import static io.berth.control.service.ServiceWorld.CALLER;
import static io.berth.control.service.ServiceWorld.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.task.Tasks;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/** How container health decides what a service counts, keeps and replaces. */
class ServiceHealthTest {

    private final ServiceWorld world = new ServiceWorld();

    @AfterEach
    void close() {
        world.close();
    }

    private Task onlyLiveTask() {
        List<Task> live = world.liveTasksOf("c", "web");
        assertThat(live).hasSize(1);
        return live.get(0);
    }

    private Task current(Task task) {
        return world.tasks("c").stream().filter(t -> t.taskArn().equals(task.taskArn())).findFirst().orElseThrow();
    }

    @Test
    void aTaskWithHealthChecksCountsTowardTheDeploymentOnlyOnceHealthy() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        world.create("c", "web", world.registerChecked("web", "nginx:1"), 1);
        world.settle("c");
        Service running = world.service("c", "web");

        world.publishHealth(onlyLiveTask(), "HEALTHY");
        world.reconcile();

        assertThat(running.runningCount()).isEqualTo(1);
        assertThat(running.deployments().get(0).rolloutState()).isEqualTo(DeploymentRolloutState.IN_PROGRESS);
        assertThat(messages(running)).noneMatch(m -> m.endsWith(ServiceEvents.STEADY));
        Service healthy = world.service("c", "web");
        assertThat(healthy.deployments().get(0).rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED);
        assertThat(messages(healthy).get(0)).isEqualTo("(service web) has reached a steady state.");
    }

    @Test
    void aTaskThatTurnsUnhealthyIsStoppedForItsHealthChecksAndReplaced() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        world.create("c", "web", world.registerChecked("web", "nginx:1"), 1);
        world.settle("c");
        Task task = onlyLiveTask();
        world.publishHealth(task, "HEALTHY");
        world.reconcile();

        world.publishHealth(task, "UNHEALTHY");
        world.reconcile();

        Task stopping = current(task);
        String id = Tasks.idOf(task.taskArn());
        assertThat(stopping.desiredStatus()).isEqualTo("STOPPED");
        assertThat(stopping.stopCode()).isEqualTo(TaskStopCode.SERVICE_SCHEDULER_INITIATED);
        assertThat(stopping.stoppedReason()).isEqualTo("Task failed container health checks");
        List<String> events = messages(world.service("c", "web"));
        assertThat(events).contains("(service web) (task " + id + ") failed container health checks.",
                "(service web) has stopped 1 running tasks: (task " + id + ").");
        assertThat(events).anyMatch(m -> m.startsWith("(service web) has started 1 tasks: "));
        world.settle("c");
        assertThat(onlyLiveTask().taskArn()).isNotEqualTo(task.taskArn());
    }

    @Test
    void aRollingUpdateStopsOldTasksOnlyAsNewOnesBecomeHealthy() {
        world.cluster("c");
        world.instance("c", "i1", 4096, 4096);
        world.create("c", "web", world.registerChecked("web", "nginx:1"), 2);
        world.settle("c");
        world.liveTasksOf("c", "web").forEach(t -> world.publishHealth(t, "HEALTHY"));
        world.settle("c");
        TaskDefinition rev2 = world.registerChecked("web", "nginx:2");

        world.plane.services().updateService(CALLER, UpdateServiceRequest.builder().cluster("c").service("web")
                .taskDefinition(rev2.taskDefinitionArn()).build());
        world.settle("c");
        List<Task> whileUnknown = world.liveTasksOf("c", "web");
        whileUnknown.stream().filter(t -> t.taskDefinitionArn().equals(rev2.taskDefinitionArn()))
                .forEach(t -> world.publishHealth(t, "HEALTHY"));
        world.settle("c");

        assertThat(whileUnknown).hasSize(4).filteredOn(t -> t.desiredStatus().equals("RUNNING")).hasSize(4);
        assertThat(world.liveTasksOf("c", "web")).hasSize(2)
                .allSatisfy(t -> assertThat(t.taskDefinitionArn()).isEqualTo(rev2.taskDefinitionArn()));
        assertThat(world.service("c", "web").deployments()).singleElement()
                .satisfies(d -> assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED));
    }

    @Test
    void withinTheGracePeriodAnUnhealthyTaskIsKept() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        world.plane.services().createService(CALLER, CreateServiceRequest.builder().cluster("c").serviceName("web")
                .taskDefinition(world.registerChecked("web", "nginx:1").taskDefinitionArn()).desiredCount(1)
                .healthCheckGracePeriodSeconds(60).build());
        world.settle("c");
        Task task = onlyLiveTask();

        world.publishHealth(task, "UNHEALTHY");
        world.reconcile();
        String duringGrace = current(task).desiredStatus();
        world.advance(Duration.ofSeconds(60));
        world.reconcile();

        assertThat(duringGrace).isEqualTo("RUNNING");
        assertThat(current(task).stoppedReason()).isEqualTo("Task failed container health checks");
    }

    @Test
    void aTaskWhoseOnlyCheckIsOnANonEssentialContainerCountsOnceRunning() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        TaskDefinition definition = world.plane.taskDefinitions().registerTaskDefinition(CALLER,
                RegisterTaskDefinitionRequest.builder().family("web").containerDefinitions(
                        ContainerDefinition.builder().name("app").image("nginx:1").memory(128).essential(true).build(),
                        ContainerDefinition.builder().name("probe").image("probe:1").memory(64).essential(false)
                                .healthCheck(h -> h.command("CMD", "true")).build()).build()).taskDefinition();

        world.create("c", "web", definition, 1);
        world.settle("c");

        assertThat(world.service("c", "web").deployments()).singleElement()
                .satisfies(d -> assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED));
    }

    @Test
    void tasksThatKeepFailingTheirHealthChecksTripTheCircuitBreaker() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        world.plane.services().createService(CALLER, CreateServiceRequest.builder().cluster("c").serviceName("web")
                .taskDefinition(world.registerChecked("web", "nginx:1").taskDefinitionArn()).desiredCount(1)
                .deploymentConfiguration(d -> d.deploymentCircuitBreaker(b -> b.enable(true).rollback(false)))
                .build());

        for (int round = 0; round < 5; round++) {
            world.settle("c");
            world.liveTasksOf("c", "web").forEach(t -> world.publishHealth(t, "UNHEALTHY"));
            world.advance(Duration.ofMinutes(5));
        }

        assertThat(world.service("c", "web").deployments()).singleElement().satisfies(d -> {
            assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.FAILED);
            assertThat(d.rolloutStateReason()).isEqualTo("ECS deployment circuit breaker: tasks failed to start.");
            assertThat(d.failedTasks()).isGreaterThanOrEqualTo(Deployments.CircuitBreaker.threshold(1));
        });
    }

    @Test
    void standaloneTasksAreLeftRunningWhenUnhealthy() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        world.create("c", "web", world.register("web", "nginx:1"), 0);
        Task job = world.plane.tasks().runTask(CALLER, RunTaskRequest.builder().cluster("c")
                .taskDefinition(world.registerChecked("job", "job:1").taskDefinitionArn()).build()).tasks().get(0);
        world.report(job, Tasks.RUNNING);

        world.publishHealth(job, "UNHEALTHY");
        world.settle("c");

        Task after = current(job);
        assertThat(after.healthStatusAsString()).isEqualTo("UNHEALTHY");
        assertThat(after.desiredStatus()).isEqualTo("RUNNING");
    }
}
