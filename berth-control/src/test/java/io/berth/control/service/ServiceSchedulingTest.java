package io.berth.control.service;

import static io.berth.control.service.ServiceWorld.CALLER;
import static io.berth.control.service.ServiceWorld.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.task.Tasks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.CreateTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.DeleteServiceRequest;
import software.amazon.awssdk.services.ecs.model.DeleteTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentRollbackMonitorsStatus;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;
import software.amazon.awssdk.services.ecs.model.StabilityStatus;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentRequest;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskSet;
import software.amazon.awssdk.services.ecs.model.UpdateServicePrimaryTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

class ServiceSchedulingTest {

    private ServiceWorld world = new ServiceWorld();

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void aReplicaServiceStartsItsTasksAndReachesASteadyState() {
        world.cluster("c");
        world.instance("c", "i1", 1024, 1024);
        world.instance("c", "i2", 1024, 1024);
        TaskDefinition web = world.register("web", "nginx:1");
        world.create("c", "web", web, 3);

        world.reconcile();
        Service pending = world.service("c", "web");
        world.settle("c");
        Service steady = world.service("c", "web");

        assertThat(pending.pendingCount()).isEqualTo(3);
        assertThat(pending.runningCount()).isZero();
        assertThat(messages(pending).get(0)).matches("\\(service web\\) has started 3 tasks: "
                + "\\(task [0-9a-f]{32}\\) \\(task [0-9a-f]{32}\\) \\(task [0-9a-f]{32}\\)\\.");
        assertThat(steady.runningCount()).isEqualTo(3);
        assertThat(steady.pendingCount()).isZero();
        assertThat(messages(steady).get(0)).isEqualTo("(service web) has reached a steady state.");
        assertThat(steady.deployments()).singleElement().satisfies(d -> {
            assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED);
            assertThat(d.runningCount()).isEqualTo(3);
        });
        assertThat(world.liveTasksOf("c", "web")).allSatisfy(t -> {
            assertThat(t.group()).isEqualTo("service:web");
            assertThat(t.startedBy()).matches("ecs-svc/\\d{19}").isEqualTo(steady.deployments().get(0).id());
        });
    }

    @Test
    void aThreeReplicaServiceSurvivesAKilledTaskAndADrainedInstance() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        world.instance("c", "i2", 2048, 2048);
        world.instance("c", "i3", 2048, 2048);
        world.create("c", "web", world.register("web", "nginx:1"), 3);
        world.settle("c");

        Task victim = world.liveTasksOf("c", "web").get(0);
        world.report(victim, Tasks.STOPPED);
        assertThat(world.service("c", "web").runningCount()).isEqualTo(3);
        world.reconcile();
        assertThat(world.service("c", "web").runningCount()).isEqualTo(2);
        assertThat(world.service("c", "web").pendingCount()).isEqualTo(1);
        world.settle("c");
        assertThat(world.healthy("c", "web")).isEqualTo(3);
        assertThat(world.liveTasksOf("c", "web")).extracting(Task::taskArn).doesNotContain(victim.taskArn());

        String drained = world.liveTasksOf("c", "web").get(0).containerInstanceArn();
        world.drain("c", drained.substring(drained.lastIndexOf('/') + 1));
        world.settle("c", t -> false, () -> assertThat(world.healthy("c", "web")).isGreaterThanOrEqualTo(3));

        assertThat(world.liveTasksOf("c", "web")).hasSize(3)
                .allSatisfy(t -> assertThat(t.containerInstanceArn()).isNotEqualTo(drained));
        assertThat(world.service("c", "web").runningCount()).isEqualTo(3);
    }

    @Test
    void scalingInStopsTheExcessAndScalingOutStartsMore() {
        world.cluster("c");
        world.instance("c", "i1", 4096, 4096);
        world.create("c", "web", world.register("web", "nginx:1"), 4);
        world.settle("c");

        world.plane.services().updateService(CALLER, UpdateServiceRequest.builder().cluster("c").service("web")
                .desiredCount(1).build());
        world.settle("c");
        List<Task> afterScaleIn = world.liveTasksOf("c", "web");
        world.plane.services().updateService(CALLER, UpdateServiceRequest.builder().cluster("c").service("web")
                .desiredCount(3).build());
        world.settle("c");

        assertThat(afterScaleIn).hasSize(1);
        assertThat(world.liveTasksOf("c", "web")).hasSize(3);
        assertThat(world.service("c", "web").deployments()).singleElement()
                .satisfies(d -> assertThat(d.desiredCount()).isEqualTo(3));
        assertThat(messages(world.service("c", "web"))).anyMatch(m -> m.startsWith("(service web) has stopped 3 running tasks:"));
    }

    @Test
    void aServiceKeepsGoingAfterARestart() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        world.create("c", "web", world.register("web", "nginx:1"), 2);
        world.settle("c");

        world = world.restarted();
        world.report(world.liveTasksOf("c", "web").get(0), Tasks.STOPPED);
        world.settle("c");

        assertThat(world.healthy("c", "web")).isEqualTo(2);
        assertThat(world.service("c", "web").deployments().get(0).rolloutState())
                .isEqualTo(DeploymentRolloutState.COMPLETED);
    }

    @Test
    void drainingLeavesStandaloneTasksAlone() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        TaskDefinition job = world.register("job", "busybox");
        Task standalone = world.plane.tasks().runTask(CALLER, RunTaskRequest.builder().applyMutation(r -> r.cluster("c").taskDefinition(job.taskDefinitionArn())).build())
                .tasks().get(0);
        world.instance("c", "i2", 2048, 2048);
        world.drain("c", standalone.containerInstanceArn().substring(standalone.containerInstanceArn().lastIndexOf('/') + 1));

        world.reconcile();

        Task after = world.tasks("c").stream().filter(t -> t.taskArn().equals(standalone.taskArn())).findFirst().orElseThrow();
        assertThat(after.desiredStatus()).isEqualTo("RUNNING");
    }

    @Test
    void aRollingUpdateNeverDropsBelowMinimumHealthyAndEndsCompleted() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        world.instance("c", "i2", 2048, 2048);
        TaskDefinition rev1 = world.register("web", "nginx:1");
        world.plane.services().createService(CALLER, CreateServiceRequest.builder().applyMutation(r -> r.cluster("c").serviceName("web")
                .taskDefinition(rev1.taskDefinitionArn()).desiredCount(3)
                .deploymentConfiguration(d -> d.minimumHealthyPercent(100).maximumPercent(150))).build());
        world.settle("c");
        TaskDefinition rev2 = world.register("web", "nginx:2");

        Service updated = world.plane.services().updateService(CALLER, UpdateServiceRequest.builder().applyMutation(r -> r.cluster("c").service("web")
                .taskDefinition("web")).build()).service();
        List<Integer> inFlight = new ArrayList<>();
        world.settle("c", t -> false, () -> {
            assertThat(world.healthy("c", "web")).isGreaterThanOrEqualTo(3);
            inFlight.add(world.liveTasksOf("c", "web").size());
        });

        assertThat(updated.taskDefinition()).isEqualTo(rev2.taskDefinitionArn());
        assertThat(updated.deployments()).extracting(Deployment::status).containsExactly("PRIMARY", "ACTIVE");
        assertThat(inFlight).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(4));
        Service done = world.service("c", "web");
        assertThat(done.deployments()).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(updated.deployments().get(0).id());
            assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED);
            assertThat(d.taskDefinition()).isEqualTo(rev2.taskDefinitionArn());
        });
        assertThat(world.liveTasksOf("c", "web")).hasSize(3)
                .allSatisfy(t -> assertThat(t.taskDefinitionArn()).isEqualTo(rev2.taskDefinitionArn()));
        assertThat(messages(done)).contains("(service web) (deployment " + done.deployments().get(0).id()
                + ") deployment completed.");
    }

    @Test
    void aRevisionWhoseContainerExitsAtOnceTripsTheCircuitBreakerAndRollsBack() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        world.instance("c", "i2", 2048, 2048);
        TaskDefinition good = world.register("web", "nginx:1");
        world.plane.services().createService(CALLER, CreateServiceRequest.builder().applyMutation(r -> r.cluster("c").serviceName("web")
                .taskDefinition(good.taskDefinitionArn()).desiredCount(3)
                .deploymentConfiguration(d -> d.deploymentCircuitBreaker(b -> b.enable(true).rollback(true)))).build());
        world.settle("c");
        String goodDeployment = world.service("c", "web").deployments().get(0).id();
        TaskDefinition bad = world.register("web", "broken:1");
        world.advance(Duration.ofMinutes(1));

        String badDeployment = world.plane.services().updateService(CALLER, UpdateServiceRequest.builder().applyMutation(r -> r.cluster("c").service("web")
                .taskDefinition(bad.taskDefinitionArn())).build()).service().deployments().get(0).id();
        world.settle("c", t -> t.taskDefinitionArn().equals(bad.taskDefinitionArn()),
                () -> assertThat(world.healthy("c", "web")).isGreaterThanOrEqualTo(3));

        Service after = world.service("c", "web");
        assertThat(after.taskDefinition()).isEqualTo(good.taskDefinitionArn());
        assertThat(after.deployments()).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(goodDeployment);
            assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED);
        });
        assertThat(messages(after)).contains(
                "(service web) (deployment " + badDeployment + ") deployment failed: tasks failed to start.",
                "(service web) rolling back to deployment " + goodDeployment + ".");
        assertThat(world.liveTasksOf("c", "web")).hasSize(3)
                .allSatisfy(t -> assertThat(t.taskDefinitionArn()).isEqualTo(good.taskDefinitionArn()));
        long badTasks = world.tasks("c").stream().filter(t -> t.taskDefinitionArn().equals(bad.taskDefinitionArn())).count();
        assertThat(badTasks).isEqualTo(3);
        List<ServiceDeploymentBrief> history = world.plane.services().listServiceDeployments(CALLER,
                ListServiceDeploymentsRequest.builder().cluster("c").service("web").build()).serviceDeployments();
        assertThat(history).extracting(ServiceDeploymentBrief::status)
                .containsExactly(ServiceDeploymentStatus.ROLLBACK_SUCCESSFUL, ServiceDeploymentStatus.SUCCESSFUL);
        ServiceDeployment failed = world.plane.services().describeServiceDeployments(CALLER,
                DescribeServiceDeploymentsRequest.builder().serviceDeploymentArns(history.get(0).serviceDeploymentArn())
                        .build()).serviceDeployments().get(0);
        assertThat(failed.deploymentCircuitBreaker().status()).isEqualTo(ServiceDeploymentRollbackMonitorsStatus.TRIGGERED);
        assertThat(failed.deploymentCircuitBreaker().failureCount()).isEqualTo(3);
        assertThat(failed.rollback().serviceRevisionArn()).isEqualTo(history.get(1).targetServiceRevisionArn());
    }

    @Test
    void aDeploymentStoppedByRequestRollsBack() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        TaskDefinition rev1 = world.register("web", "nginx:1");
        world.create("c", "web", rev1, 2);
        world.settle("c");
        String first = world.service("c", "web").deployments().get(0).id();
        world.advance(Duration.ofMinutes(1));
        world.plane.services().updateService(CALLER, UpdateServiceRequest.builder().cluster("c").service("web")
                .taskDefinition(world.register("web", "nginx:2").taskDefinitionArn()).build());
        world.reconcile();
        String arn = world.plane.services().listServiceDeployments(CALLER, ListServiceDeploymentsRequest.builder()
                .cluster("c").service("web").build()).serviceDeployments().get(0).serviceDeploymentArn();

        world.plane.services().stopServiceDeployment(CALLER, StopServiceDeploymentRequest.builder()
                .serviceDeploymentArn(arn).build());
        world.settle("c");

        Service after = world.service("c", "web");
        assertThat(after.taskDefinition()).isEqualTo(rev1.taskDefinitionArn());
        assertThat(after.deployments()).singleElement().satisfies(d -> assertThat(d.id()).isEqualTo(first));
        assertThat(world.liveTasksOf("c", "web")).hasSize(2)
                .allSatisfy(t -> assertThat(t.taskDefinitionArn()).isEqualTo(rev1.taskDefinitionArn()));
        assertThat(world.plane.services().describeServiceDeployments(CALLER, DescribeServiceDeploymentsRequest.builder()
                .serviceDeploymentArns(arn).build()).serviceDeployments().get(0).status())
                .isEqualTo(ServiceDeploymentStatus.ROLLBACK_SUCCESSFUL);
    }

    @Test
    void withoutRollbackAFailedDeploymentStopsLaunching() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        TaskDefinition bad = world.register("web", "broken:1");
        world.plane.services().createService(CALLER, CreateServiceRequest.builder().applyMutation(r -> r.cluster("c").serviceName("web")
                .taskDefinition(bad.taskDefinitionArn()).desiredCount(2)
                .deploymentConfiguration(d -> d.deploymentCircuitBreaker(b -> b.enable(true).rollback(false)))).build());

        world.settle("c", t -> true, () -> { });
        int launched = world.tasks("c").size();
        world.advance(Duration.ofHours(1));
        world.settle("c", t -> true, () -> { });

        Service after = world.service("c", "web");
        assertThat(after.deployments().get(0).rolloutState()).isEqualTo(DeploymentRolloutState.FAILED);
        assertThat(after.deployments().get(0).failedTasks()).isEqualTo(launched).isGreaterThanOrEqualTo(3);
        assertThat(world.tasks("c")).hasSize(launched);
    }

    @Test
    void tasksThatKeepFailingToStartAreRetriedLessAndLessOften() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        TaskDefinition bad = world.register("web", "broken:1");
        world.create("c", "web", bad, 1);

        world.settle("c", t -> true, () -> { });
        int afterBurst = world.tasks("c").size();
        world.advance(Duration.ofSeconds(9));
        world.settle("c", t -> true, () -> { });
        int stillWaiting = world.tasks("c").size();
        world.advance(Duration.ofSeconds(2));
        world.reconcile();
        int retried = world.tasks("c").size();

        assertThat(afterBurst).isEqualTo(DeploymentFailures.THROTTLE_AFTER);
        assertThat(stillWaiting).isEqualTo(afterBurst);
        assertThat(retried).isEqualTo(afterBurst + 1);
        assertThat(messages(world.service("c", "web"))).contains(
                "(service web) is unable to consistently start tasks successfully. For more information, see the "
                        + "Troubleshooting section of the Amazon ECS Developer Guide.");
        assertThat(DeploymentFailures.delay(40)).isEqualTo(Duration.ofMinutes(15));
        assertThat(Deployments.CircuitBreaker.threshold(2)).isEqualTo(3);
        assertThat(Deployments.CircuitBreaker.threshold(25)).isEqualTo(13);
        assertThat(Deployments.CircuitBreaker.threshold(1000)).isEqualTo(200);
    }

    @Test
    void tasksWhoseContainerExitsRightAfterRunningAreRetriedLessOftenToo() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        TaskDefinition crashing = world.register("web", "crashing:1");
        world.create("c", "web", crashing, 3);

        // Every task reaches RUNNING and its container exits a few seconds later, one task at a time,
        // so that some task is always briefly RUNNING.
        for (int round = 0; round < 10; round++) {
            world.reconcile();
            world.tasks("c").stream().filter(t -> Tasks.PENDING.equals(t.lastStatus()))
                    .forEach(t -> world.report(t, Tasks.RUNNING));
            world.advance(Duration.ofSeconds(1));
            world.tasks("c").stream().filter(t -> Tasks.RUNNING.equals(t.lastStatus()))
                    .min(java.util.Comparator.comparing(Task::startedAt))
                    .ifPresent(t -> world.report(t, Tasks.STOPPED));
            world.advance(Duration.ofSeconds(1));
        }

        assertThat(world.tasks("c")).hasSizeLessThanOrEqualTo(3 + DeploymentFailures.THROTTLE_AFTER + 1);
        assertThat(messages(world.service("c", "web"))).anyMatch(m -> m.contains("unable to consistently start tasks"));
    }

    @Test
    void aServiceThatCannotBePlacedSaysWhy() {
        world.cluster("c");
        world.instance("c", "i1", 256, 128);
        world.create("c", "web", world.register("web", "nginx:1"), 1);

        world.reconcile();

        assertThat(messages(world.service("c", "web"))).containsExactly("(service web) was unable to place a task "
                + "because no container instance met all of its requirements. The closest matching "
                + "(container-instance i1) has insufficient memory available. For more information, see the "
                + "Troubleshooting section of the Amazon ECS Developer Guide.");
    }

    @Test
    void aServiceWhoseRoleCannotBeAssumedLaunchesNothingAndSaysWhyOnce() {
        world.cluster("c");
        world.instance("c", "i1", 1024, 1024);
        world.create("c", "web", world.withTaskRole("web"), 2);

        world.reconcile();
        world.reconcile();

        assertThat(world.tasks("c")).isEmpty();
        assertThat(messages(world.service("c", "web"))).containsExactly(
                "(service web) failed to launch a task with (error Berth cannot assume task roles yet.).");
        assertThat(world.service("c", "web").pendingCount()).isZero();
    }

    @Test
    void taskSetsOfAnExternallyControlledServiceRunTheirShareOfTheDesiredCount() {
        world.cluster("c");
        world.instance("c", "i1", 4096, 4096);
        TaskDefinition blue = world.register("web", "nginx:1");
        TaskDefinition green = world.register("web", "nginx:2");
        world.plane.services().createService(CALLER, CreateServiceRequest.builder().cluster("c").serviceName("web")
                .desiredCount(4).deploymentController(c -> c.type("EXTERNAL")).build());
        TaskSet blueSet = world.plane.taskSets().createTaskSet(CALLER, CreateTaskSetRequest.builder().cluster("c")
                .service("web").taskDefinition(blue.taskDefinitionArn()).externalId("blue").build()).taskSet();
        world.plane.taskSets().updateServicePrimaryTaskSet(CALLER, UpdateServicePrimaryTaskSetRequest.builder()
                .cluster("c").service("web").primaryTaskSet(blueSet.taskSetArn()).build());
        world.settle("c");

        TaskSet greenSet = world.plane.taskSets().createTaskSet(CALLER, CreateTaskSetRequest.builder().cluster("c")
                .service("web").taskDefinition(green.taskDefinitionArn()).externalId("green")
                .scale(sc -> sc.value(50.0).unit("PERCENT")).build()).taskSet();
        world.settle("c");
        List<Task> both = world.liveTasksOf("c", "web");
        world.plane.taskSets().deleteTaskSet(CALLER, DeleteTaskSetRequest.builder().cluster("c").service("web")
                .taskSet(blueSet.id()).force(true).build());
        world.settle("c");

        assertThat(greenSet.computedDesiredCount()).isEqualTo(2);
        assertThat(both).filteredOn(t -> t.taskDefinitionArn().equals(blue.taskDefinitionArn())).hasSize(4);
        assertThat(both).filteredOn(t -> t.taskDefinitionArn().equals(green.taskDefinitionArn())).hasSize(2)
                .allSatisfy(t -> assertThat(t.startedBy()).isEqualTo(greenSet.id()));
        Service after = world.service("c", "web");
        assertThat(after.taskSets()).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo(greenSet.id());
            assertThat(t.runningCount()).isEqualTo(2);
            assertThat(t.stabilityStatus()).isEqualTo(StabilityStatus.STEADY_STATE);
        });
        assertThat(world.liveTasksOf("c", "web")).hasSize(2);
    }

    @Test
    void deletingAServiceStopsItsTasksAndLeavesItInactive() {
        world.cluster("c");
        world.instance("c", "i1", 2048, 2048);
        world.create("c", "web", world.register("web", "nginx:1"), 2);
        world.settle("c");

        Service deleted = world.plane.services().deleteService(CALLER, DeleteServiceRequest.builder().applyMutation(r -> r.cluster("c").service("web").force(true)).build())
                .service();
        world.settle("c");

        assertThat(deleted.status()).isEqualTo("DRAINING");
        assertThat(world.liveTasksOf("c", "web")).isEmpty();
        assertThat(world.service("c", "web").status()).isEqualTo("INACTIVE");
        assertThat(world.tasks("c")).allSatisfy(t -> assertThat(t.stopCode().toString())
                .isEqualTo("ServiceSchedulerInitiated"));
    }
}
