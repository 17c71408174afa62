package io.berth.control.task;

import static io.berth.control.task.TaskWorld.CALLER;
import static io.berth.control.task.TaskWorld.SCOPE;
import static io.berth.control.task.TaskWorld.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.cluster.Clusters;
import io.berth.control.fargate.FargatePool;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.StartTaskRequest;
import software.amazon.awssdk.services.ecs.model.StartTaskResponse;
import software.amazon.awssdk.services.ecs.model.StopTaskRequest;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** RunTask on Fargate: tasks of the user's cluster placed on the hosts of the account's Fargate pool. */
class FargateLaunchesTest {

    private static final String CAPACITY_UNAVAILABLE =
            "Capacity is unavailable at this time. Please try again later or in a different availability zone";
    private static final NetworkConfiguration SUBNET = NetworkConfiguration.builder()
            .awsvpcConfiguration(v -> v.subnets("subnet-0a1b2c3d")).build();

    private final TaskWorld world = new TaskWorld().cluster("prod");
    private final Set<String> fargateFamilies = new HashSet<>();

    @AfterEach
    void close() {
        world.close();
    }

    /** Revision 1 of a family written for Fargate: awsvpc, task-level cpu and memory, FARGATE compatibility. */
    private TaskDefinition fargateDefinition(String family, String cpu, String memory) {
        fargateFamilies.add(family);
        return world.definition(TaskDefinition.builder().family(family).revision(1).cpu(cpu).memory(memory)
                .networkMode("awsvpc").requiresCompatibilitiesWithStrings("FARGATE")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("busybox:latest").essential(true)
                        .build())
                .build());
    }

    /** A host given to Fargate: an instance of the account's pool, whose agent gives tasks their own networks. */
    private ContainerInstance poolHost(String id, int cpu, int memory) {
        return world.instance(FargatePool.NAME, id, cpu, memory, Attribute.builder().name("ecs.capability.task-eni")
                .build());
    }

    /** RunTask in cluster prod unless the request names another; a Fargate family's tasks get a subnet. */
    private RunTaskResponse run(Consumer<RunTaskRequest.Builder> request) {
        RunTaskRequest.Builder builder = RunTaskRequest.builder().cluster("prod");
        request.accept(builder);
        RunTaskRequest asked = builder.build();
        String family = asked.taskDefinition().split(":")[0];
        if (asked.networkConfiguration() == null && fargateFamilies.contains(family)) {
            asked = asked.toBuilder().networkConfiguration(SUBNET).build();
        }
        return world.tasks.runTask(CALLER, asked);
    }

    private Task stored(Task task) {
        return world.state.region(SCOPE).get(Tasks.KIND, "prod/" + Tasks.idOf(task.taskArn())).orElseThrow();
    }

    private void report(String cluster, Task task, String status) {
        world.tasks.submitTaskStateChange(CALLER, SubmitTaskStateChangeRequest.builder().cluster(cluster)
                .task(task.taskArn()).status(status).build());
    }

    private void clusterWithProviders(String name, CapacityProviderStrategyItem... defaults) {
        world.state.write(SCOPE, tx -> {
            tx.put(Clusters.KIND, name, Cluster.builder().clusterName(name).clusterArn(SCOPE.arn("cluster/" + name))
                    .status(Clusters.ACTIVE).capacityProviders("FARGATE", "FARGATE_SPOT")
                    .defaultCapacityProviderStrategy(defaults).build());
            return null;
        });
    }

    private static CapacityProviderStrategyItem provider(String name, int weight) {
        return CapacityProviderStrategyItem.builder().capacityProvider(name).weight(weight).build();
    }

    @Test
    void aFargateTaskIsATaskOfTheClusterPlacedOnAPoolHostThatTheApiNeverShows() {
        fargateDefinition("web", "256", "512");
        ContainerInstance host = poolHost("h1", 2048, 4096);

        Task task = run(r -> r.taskDefinition("web").launchType("FARGATE")).tasks().get(0);

        assertThat(task.taskArn()).startsWith(SCOPE.arn("task/prod/"));
        assertThat(task.clusterArn()).isEqualTo(SCOPE.arn("cluster/prod"));
        assertThat(task.launchTypeAsString()).isEqualTo("FARGATE");
        assertThat(task.platformVersion()).isEqualTo("1.4.0");
        assertThat(task.platformFamily()).isEqualTo("Linux");
        assertThat(task.ephemeralStorage().sizeInGiB()).isEqualTo(20);
        assertThat(task.capacityProviderName()).isNull();
        assertThat(task.cpu()).isEqualTo("256");
        assertThat(task.memory()).isEqualTo("512");
        assertThat(task.containerInstanceArn()).isNull();
        assertThat(world.describe(task).containerInstanceArn()).isNull();
        assertThat(stored(task).containerInstanceArn()).as("kept for the host's agent")
                .isEqualTo(host.containerInstanceArn());
        assertThat(world.remainingCpu(host)).isEqualTo(2048 - 256);
        assertThat(world.remainingMemory(host)).isEqualTo(4096 - 512);
    }

    @Test
    void theDefinitionsEphemeralStorageAndTheAskedPlatformVersionAreShown() {
        world.definition(fargateDefinition("big", "1024", "2048").toBuilder().revision(2)
                .ephemeralStorage(s -> s.sizeInGiB(50)).build());
        poolHost("h1", 4096, 8192);

        Task task = run(r -> r.taskDefinition("big:2").launchType("FARGATE").platformVersion("1.3.0")).tasks().get(0);
        Task latest = run(r -> r.taskDefinition("big:2").launchType("FARGATE").platformVersion("LATEST")).tasks()
                .get(0);

        assertThat(task.ephemeralStorage().sizeInGiB()).isEqualTo(50);
        assertThat(task.platformVersion()).isEqualTo("1.3.0");
        assertThat(latest.platformVersion()).isEqualTo("1.4.0");
    }

    @Test
    void tasksSpreadAcrossThePoolsHostsWhateverTheirCluster() {
        world.cluster("dev");
        fargateDefinition("web", "256", "512");
        ContainerInstance first = poolHost("h1", 4096, 8192);
        ContainerInstance second = poolHost("h2", 4096, 8192);
        run(r -> r.cluster("dev").taskDefinition("web").launchType("FARGATE"));

        List<Task> tasks = run(r -> r.taskDefinition("web").launchType("FARGATE").count(3)).tasks();

        Map<String, Long> perHost = tasks.stream().map(this::stored)
                .collect(Collectors.groupingBy(Task::containerInstanceArn, Collectors.counting()));
        assertThat(perHost.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
        int total = (8192 - world.remainingMemory(first)) + (8192 - world.remainingMemory(second));
        assertThat(total).isEqualTo(4 * 512);
        assertThat(Math.abs(world.remainingMemory(first) - world.remainingMemory(second))).isZero();
    }

    @Test
    void withoutRoomOnThePoolRunTaskAnswersFargatesFailure() {
        fargateDefinition("web", "256", "512");
        fargateDefinition("huge", "4096", "16384");

        RunTaskResponse noHost = run(r -> r.taskDefinition("web").launchType("FARGATE").count(2));
        poolHost("h1", 1024, 2048);
        RunTaskResponse tooBig = run(r -> r.taskDefinition("huge").launchType("FARGATE"));

        assertThat(noHost.tasks()).isEmpty();
        assertThat(noHost.failures()).extracting(Failure::reason).containsExactly(CAPACITY_UNAVAILABLE);
        assertThat(tooBig.tasks()).isEmpty();
        assertThat(tooBig.failures()).extracting(Failure::reason).containsExactly(CAPACITY_UNAVAILABLE);
    }

    @Test
    void poolHostsAreNoInstancesOfTheCluster() {
        world.definition("ec2", 10, 10);
        ContainerInstance host = poolHost("h1", 4096, 8192);

        assertError(() -> run(r -> r.taskDefinition("ec2")), "InvalidParameterException");
        StartTaskResponse started = world.tasks.startTask(CALLER, StartTaskRequest.builder().cluster("prod")
                .taskDefinition("ec2").containerInstances(host.containerInstanceArn()).build());
        assertThat(started.tasks()).isEmpty();
        assertThat(started.failures()).extracting(Failure::reason).containsExactly("MISSING");
    }

    @Test
    void theFargateCapacityProvidersPlaceOnThePoolAndTheTaskNamesItsProvider() {
        clusterWithProviders("spot", provider("FARGATE_SPOT", 1));
        fargateDefinition("web", "256", "512");
        poolHost("h1", 4096, 8192);

        Task byDefault = run(r -> r.cluster("spot").taskDefinition("web")).tasks().get(0);
        Task asked = run(r -> r.cluster("spot").taskDefinition("web").capacityProviderStrategy(provider("FARGATE", 1)))
                .tasks().get(0);

        assertThat(byDefault.launchTypeAsString()).isEqualTo("FARGATE");
        assertThat(byDefault.capacityProviderName()).isEqualTo("FARGATE_SPOT");
        assertThat(byDefault.containerInstanceArn()).isNull();
        assertThat(asked.capacityProviderName()).isEqualTo("FARGATE");
        assertThat(asked.platformVersion()).isEqualTo("1.4.0");
    }

    @Test
    void badFargateRequestsAreRefusedAsEcsRefusesThem() {
        fargateDefinition("web", "256", "512");
        world.definition("ec2", 10, 10);
        poolHost("h1", 4096, 8192);

        assertError(() -> run(r -> r.taskDefinition("web").launchType("FARGATE").platformVersion("9.9.9")),
                "PlatformUnknownException");
        assertError(() -> run(r -> r.taskDefinition("ec2").launchType("EC2").platformVersion("LATEST")),
                "InvalidParameterException");
        assertError(() -> run(r -> r.taskDefinition("web").launchType("FARGATE")
                .placementConstraints(PlacementConstraint.builder().type("distinctInstance").build())),
                "InvalidParameterException");
        assertError(() -> run(r -> r.taskDefinition("web").launchType("FARGATE")
                .placementStrategy(PlacementStrategy.builder().type("random").build())), "InvalidParameterException");
        assertError(() -> run(r -> r.taskDefinition("web").launchType("FARGATE")
                .capacityProviderStrategy(provider("FARGATE", 1))), "InvalidParameterException");
        assertError(() -> run(r -> r.taskDefinition("web").capacityProviderStrategy(provider("FARGATE", 1))),
                "InvalidParameterException");
        assertError(() -> run(r -> r.taskDefinition("web").launchType("EC2")), "InvalidParameterException");
    }

    @Test
    void theAgentOfThePoolReportsForTasksPlacedOnThePoolOnly() {
        fargateDefinition("web", "256", "512");
        world.definition("ec2", 10, 10);
        ContainerInstance host = poolHost("h1", 4096, 8192);
        world.instance("prod", "i1", 4096, 4096);
        Task fargate = run(r -> r.taskDefinition("web").launchType("FARGATE")).tasks().get(0);
        Task ec2 = run(r -> r.taskDefinition("ec2")).tasks().get(0);

        report(FargatePool.NAME, fargate, "RUNNING");

        assertThat(world.describe(fargate).lastStatus()).isEqualTo("RUNNING");
        assertError(() -> report(FargatePool.NAME, ec2, "RUNNING"), "InvalidParameterException");
        assertError(() -> report("prod", fargate, "STOPPED"), "InvalidParameterException");
        assertThat(world.describe(ec2).lastStatus()).isEqualTo("PENDING");

        world.tasks.stopTask(CALLER, StopTaskRequest.builder().cluster("prod").task(fargate.taskArn()).build());
        report(SCOPE.arn("cluster/" + FargatePool.NAME), fargate, "STOPPED");

        assertThat(world.describe(fargate).lastStatus()).isEqualTo("STOPPED");
        assertThat(world.remainingMemory(host)).as("the claim went back to the pool host").isEqualTo(8192);
    }

    @Test
    void listingTasksByInstanceNeverFindsFargateTasks() {
        fargateDefinition("web", "256", "512");
        ContainerInstance host = poolHost("h1", 4096, 8192);
        Task task = run(r -> r.taskDefinition("web").launchType("FARGATE")).tasks().get(0);

        List<String> byHost = world.tasks.listTasks(CALLER, ListTasksRequest.builder().cluster("prod")
                .containerInstance(host.containerInstanceArn()).build()).taskArns();
        List<String> onFargate = world.tasks.listTasks(CALLER, ListTasksRequest.builder().cluster("prod")
                .launchType("FARGATE").build()).taskArns();

        assertThat(byHost).isEmpty();
        assertThat(onFargate).containsExactly(task.taskArn());
    }

    @Test
    void noTaskRunsInThePoolItself() {
        fargateDefinition("web", "256", "512");
        poolHost("h1", 4096, 8192);

        assertError(() -> run(r -> r.cluster(FargatePool.NAME).taskDefinition("web").launchType("FARGATE")),
                "ClusterNotFoundException");
    }
}
