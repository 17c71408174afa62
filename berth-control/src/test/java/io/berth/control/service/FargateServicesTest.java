package io.berth.control.service;

import static io.berth.control.service.ServiceWorld.CALLER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.fargate.FargatePool;
import io.berth.control.task.Tasks;
import io.berth.model.EcsException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.CreateTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.DescribeClustersRequest;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.PutClusterCapacityProvidersRequest;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskSet;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/** Services on Fargate deploy, roll and replace their tasks as EC2 services do, on the account's Fargate pool. */
class FargateServicesTest {

    private final ServiceWorld world = new ServiceWorld().cluster("prod");

    @AfterEach
    void close() {
        world.close();
    }

    /** A revision written for Fargate: FARGATE compatibility, awsvpc, sized at the task level. */
    private TaskDefinition fargateRevision(String family, String image) {
        return world.plane.taskDefinitions().registerTaskDefinition(CALLER, RegisterTaskDefinitionRequest.builder()
                .family(family).requiresCompatibilitiesWithStrings("FARGATE").networkMode("awsvpc").cpu("256")
                .memory("512").containerDefinitions(ContainerDefinition.builder().name("app").image(image)
                        .essential(true).build()).build()).taskDefinition();
    }

    private Service createOnFargate(String name, TaskDefinition definition, int desired) {
        return world.plane.services().createService(CALLER, CreateServiceRequest.builder().cluster("prod")
                .serviceName(name).taskDefinition(definition.taskDefinitionArn()).desiredCount(desired)
                .launchType("FARGATE").networkConfiguration(SUBNET).build()).service();
    }

    private static final NetworkConfiguration SUBNET = NetworkConfiguration.builder()
            .awsvpcConfiguration(v -> v.subnets("subnet-0a1b2c3d")).build();

    private List<Task> live(String service) {
        return world.liveTasksOf("prod", service);
    }

    private static void assertError(ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private static CapacityProviderStrategyItem provider(String name, Integer base, int weight) {
        return CapacityProviderStrategyItem.builder().capacityProvider(name).base(base).weight(weight).build();
    }

    @Test
    void aFargateServiceRunsOnThePoolAndReplacesATaskThatStopped() {
        world.instance(FargatePool.NAME, "h1", 4096, 8192);
        world.instance(FargatePool.NAME, "h2", 4096, 8192);
        world.instance("prod", "i1", 4096, 8192);
        Service created = createOnFargate("web", fargateRevision("web", "nginx:1"), 2);
        world.settle("prod");
        Task victim = live("web").get(0);

        world.report(victim, Tasks.STOPPED);
        world.settle("prod");

        assertThat(created.launchTypeAsString()).isEqualTo("FARGATE");
        assertThat(created.platformVersion()).isEqualTo("LATEST");
        assertThat(created.platformFamily()).isEqualTo("Linux");
        assertThat(created.deployments()).singleElement().satisfies(d -> assertThat(d.platformVersion())
                .isEqualTo("1.4.0"));
        List<Task> running = live("web");
        assertThat(running).hasSize(2).noneMatch(t -> t.taskArn().equals(victim.taskArn()))
                .allSatisfy(t -> {
                    assertThat(FargatePool.isPoolHost(t.containerInstanceArn())).isTrue();
                    assertThat(t.launchTypeAsString()).isEqualTo("FARGATE");
                    assertThat(t.platformVersion()).isEqualTo("1.4.0");
                    assertThat(t.lastStatus()).isEqualTo("RUNNING");
                });
        assertThat(running.stream().map(Task::containerInstanceArn).distinct()).as("spread across hosts").hasSize(2);
        assertThat(world.service("prod", "web").runningCount()).isEqualTo(2);
    }

    @Test
    void anUpdateRollsTheServiceToAnotherPlatformVersionAndRevision() {
        world.instance(FargatePool.NAME, "h1", 4096, 8192);
        createOnFargate("web", fargateRevision("web", "nginx:1"), 2);
        world.settle("prod");
        TaskDefinition second = fargateRevision("web", "nginx:2");

        Service updated = world.plane.services().updateService(CALLER, UpdateServiceRequest.builder().cluster("prod")
                .service("web").taskDefinition(second.taskDefinitionArn()).platformVersion("1.3.0").build())
                .service();
        world.settle("prod");

        assertThat(updated.platformVersion()).isEqualTo("1.3.0");
        assertThat(live("web")).hasSize(2).allSatisfy(t -> {
            assertThat(t.taskDefinitionArn()).isEqualTo(second.taskDefinitionArn());
            assertThat(t.platformVersion()).isEqualTo("1.3.0");
        });
    }

    @Test
    void theFargateProvidersSplitAServiceAndTheClusterCountsItsFargateWork() {
        world.instance(FargatePool.NAME, "h1", 8192, 16384);
        world.plane.clusters().putClusterCapacityProviders(CALLER, PutClusterCapacityProvidersRequest.builder()
                .cluster("prod").capacityProviders("FARGATE", "FARGATE_SPOT")
                .defaultCapacityProviderStrategy(provider("FARGATE", 1, 1), provider("FARGATE_SPOT", null, 1))
                .build());
        Service created = world.plane.services().createService(CALLER, CreateServiceRequest.builder().cluster("prod")
                .serviceName("web").taskDefinition(fargateRevision("web", "nginx:1").taskDefinitionArn())
                .desiredCount(3).networkConfiguration(SUBNET).build()).service();
        world.settle("prod");

        Map<String, Long> byProvider = live("web").stream()
                .collect(Collectors.groupingBy(Task::capacityProviderName, Collectors.counting()));
        List<KeyValuePair> statistics = world.plane.clusters().describeClusters(CALLER, DescribeClustersRequest
                .builder().clusters("prod").include(ClusterField.STATISTICS).build()).clusters().get(0).statistics();

        assertThat(created.launchTypeAsString()).isNull();
        assertThat(created.capacityProviderStrategy()).extracting(CapacityProviderStrategyItem::capacityProvider)
                .containsExactly("FARGATE", "FARGATE_SPOT");
        assertThat(byProvider).isEqualTo(Map.of("FARGATE", 2L, "FARGATE_SPOT", 1L));
        assertThat(live("web")).allSatisfy(t -> assertThat(t.launchTypeAsString()).isEqualTo("FARGATE"));
        assertThat(statistics).extracting(KeyValuePair::name, KeyValuePair::value).contains(
                org.assertj.core.groups.Tuple.tuple("runningFargateTasksCount", "3"),
                org.assertj.core.groups.Tuple.tuple("runningEC2TasksCount", "0"),
                org.assertj.core.groups.Tuple.tuple("activeFargateServiceCount", "1"),
                org.assertj.core.groups.Tuple.tuple("activeEC2ServiceCount", "0"));
    }

    @Test
    void withoutCapacityTheServiceSaysItCannotPlaceItsTasks() {
        createOnFargate("web", fargateRevision("web", "nginx:1"), 1);

        world.reconcile();

        assertThat(ServiceWorld.messages(world.service("prod", "web"))).containsExactly("(service web) was unable to "
                + "place a task. Reason: Capacity is unavailable at this time. Please try again later or in a "
                + "different availability zone.");
        assertThat(live("web")).isEmpty();
    }

    @Test
    void aTaskSetOnFargateRunsOnThePool() {
        world.instance(FargatePool.NAME, "h1", 4096, 8192);
        TaskDefinition definition = fargateRevision("web", "nginx:1");
        world.plane.services().createService(CALLER, CreateServiceRequest.builder().cluster("prod").serviceName("web")
                .desiredCount(1).deploymentController(c -> c.type("EXTERNAL")).build());

        TaskSet taskSet = world.plane.taskSets().createTaskSet(CALLER, CreateTaskSetRequest.builder().cluster("prod")
                .service("web").taskDefinition(definition.taskDefinitionArn()).launchType("FARGATE")
                .platformVersion("LATEST").networkConfiguration(SUBNET).build()).taskSet();
        world.settle("prod");

        assertThat(taskSet.launchTypeAsString()).isEqualTo("FARGATE");
        assertThat(taskSet.platformVersion()).isEqualTo("1.4.0");
        assertThat(live("web")).singleElement().satisfies(t -> {
            assertThat(t.launchTypeAsString()).isEqualTo("FARGATE");
            assertThat(FargatePool.isPoolHost(t.containerInstanceArn())).isTrue();
        });
    }

    @Test
    void badFargateServicesAreRefusedAsEcsRefusesThem() {
        TaskDefinition definition = fargateRevision("web", "nginx:1");
        CreateServiceRequest.Builder fargate = CreateServiceRequest.builder().cluster("prod").serviceName("web")
                .taskDefinition(definition.taskDefinitionArn()).desiredCount(1).launchType("FARGATE")
                .networkConfiguration(SUBNET);

        assertError(() -> world.plane.services().createService(CALLER, fargate.copy().platformVersion("0.9.0")
                .build()), "PlatformUnknownException");
        assertError(() -> world.plane.services().createService(CALLER, fargate.copy().launchType("EC2")
                .platformVersion("LATEST").build()), "InvalidParameterException");
        assertError(() -> world.plane.services().createService(CALLER, fargate.copy()
                .placementConstraints(c -> c.type("distinctInstance")).build()), "InvalidParameterException");
        assertError(() -> world.plane.services().createService(CALLER, fargate.copy().desiredCount(null)
                .schedulingStrategy("DAEMON").build()), "InvalidParameterException");
        assertError(() -> world.plane.clusters().createCluster(CALLER, CreateClusterRequest.builder().clusterName("mix")
                .capacityProviders("FARGATE").defaultCapacityProviderStrategy(provider("FARGATE", null, 1),
                        provider("spot", null, 1)).build()), "InvalidParameterException");
    }
}
