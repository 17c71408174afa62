package io.berth.control.task;

import static io.berth.control.placement.TestInstances.attribute;
import static io.berth.control.task.TaskWorld.CALLER;
import static io.berth.control.task.TaskWorld.NOW;
import static io.berth.control.task.TaskWorld.SCOPE;
import static io.berth.control.task.TaskWorld.assertError;
import static io.berth.control.task.TaskWorld.containerChange;
import static io.berth.control.task.TaskWorld.hostPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.berth.control.taskdef.TaskDefinitions;
import io.berth.model.EcsException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.StartTaskRequest;
import software.amazon.awssdk.services.ecs.model.StopTaskRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskField;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

class TaskServiceTest {

    private TaskWorld world = new TaskWorld().cluster("prod");

    @AfterEach
    void close() {
        world.close();
    }

    private RunTaskResponse run(Consumer<RunTaskRequest.Builder> request) {
        RunTaskRequest.Builder builder = RunTaskRequest.builder().cluster("prod");
        request.accept(builder);
        return world.tasks.runTask(CALLER, builder.build());
    }

    @Test
    void runTaskRecordsAPendingTaskOnAnInstanceAndClaimsItsResources() {
        world.definition("web", 256, 512, hostPort(8080));
        ContainerInstance host = world.instance("prod", "i1", 1024, 2048, attribute("ecs.availability-zone", "zone-a"));

        Task task = world.runOne("web:1");

        assertThat(task.taskArn()).matches("arn:aws:ecs:us-east-1:123456789012:task/prod/[0-9a-f]{32}");
        assertThat(task.clusterArn()).isEqualTo(SCOPE.arn("cluster/prod"));
        assertThat(task.taskDefinitionArn()).isEqualTo(SCOPE.arn("task-definition/web:1"));
        assertThat(task.containerInstanceArn()).isEqualTo(host.containerInstanceArn());
        assertThat(task.lastStatus()).isEqualTo("PENDING");
        assertThat(task.desiredStatus()).isEqualTo("RUNNING");
        assertThat(task.launchTypeAsString()).isEqualTo("EC2");
        assertThat(task.version()).isEqualTo(1L);
        assertThat(task.createdAt()).isEqualTo(NOW);
        assertThat(task.cpu()).as("no task size without one in the definition").isNull();
        assertThat(task.memory()).isNull();
        assertThat(task.group()).isEqualTo("family:web");
        assertThat(task.availabilityZone()).isEqualTo("zone-a");
        assertThat(task.attachments()).isEmpty();
        assertThat(task.overrides().containerOverrides()).extracting(ContainerOverride::name).containsExactly("app");
        assertThat(task.containers()).singleElement().satisfies(c -> {
            assertThat(c.containerArn()).startsWith(SCOPE.arn("container/prod/" + Tasks.idOf(task.taskArn()) + "/"));
            assertThat(c.name()).isEqualTo("app");
            assertThat(c.image()).isEqualTo("busybox:latest");
            assertThat(c.lastStatus()).isEqualTo("PENDING");
            assertThat(c.cpu()).isEqualTo("256");
            assertThat(c.memory()).isEqualTo("512");
            assertThat(c.networkBindings()).isEmpty();
        });
        assertThat(world.remainingCpu(host)).isEqualTo(768);
        assertThat(world.remainingMemory(host)).isEqualTo(1536);
        assertThat(world.usedPorts(host)).contains("8080");
        assertThat(world.describe(task)).isEqualTo(task.toBuilder().tags((List<Tag>) null).build());
    }

    @Test
    void tasksOfOneRequestSeeEachOthersClaimsAndTheRestFailWithTheReason() {
        world.definition("big", 10, 300);
        ContainerInstance a = world.instance("prod", "a", 4096, 512);
        ContainerInstance b = world.instance("prod", "b", 4096, 700);

        RunTaskResponse response = run(r -> r.taskDefinition("big").count(4));

        assertThat(response.tasks()).extracting(Task::containerInstanceArn)
                .containsExactlyInAnyOrder(a.containerInstanceArn(), b.containerInstanceArn(), b.containerInstanceArn());
        assertThat(response.failures()).extracting(Failure::arn, Failure::reason).containsExactlyInAnyOrder(
                tuple(a.containerInstanceArn(), "RESOURCE:MEMORY"),
                tuple(b.containerInstanceArn(), "RESOURCE:MEMORY"));
        assertThat(world.remainingMemory(a)).isEqualTo(212);
        assertThat(world.remainingMemory(b)).isEqualTo(100);
    }

    @Test
    void aTakenHostPortIsAPortsFailure() {
        world.definition("web", 10, 10, hostPort(8080));
        world.instance("prod", "only", 4096, 4096);

        RunTaskResponse response = run(r -> r.taskDefinition("web").count(2));

        assertThat(response.tasks()).hasSize(1);
        assertThat(response.failures()).extracting(Failure::reason).containsExactly("RESOURCE:PORTS");
    }

    @Test
    void binpackFillsOneInstanceBeforeTheNext() {
        world.definition("web", 10, 100);
        ContainerInstance fuller = world.instance("prod", "fuller", 4096, 1000);
        world.instance("prod", "emptier", 4096, 2000);

        RunTaskResponse response = run(r -> r.taskDefinition("web").count(3)
                .placementStrategy(PlacementStrategy.builder().type("binpack").field("memory").build()));

        assertThat(response.tasks()).extracting(Task::containerInstanceArn)
                .containsOnly(fuller.containerInstanceArn());
    }

    @Test
    void spreadOnInstanceIdAlternatesBetweenInstances() {
        world.definition("web", 10, 100);
        world.instance("prod", "a", 4096, 4096);
        world.instance("prod", "b", 4096, 4096);

        RunTaskResponse response = run(r -> r.taskDefinition("web").count(4)
                .placementStrategy(PlacementStrategy.builder().type("spread").field("instanceId").build()));

        assertThat(response.tasks().stream().collect(Collectors.groupingBy(Task::containerInstanceArn,
                Collectors.counting())).values()).containsExactly(2L, 2L);
    }

    @Test
    void spreadAcrossCallsCountsStoppedTasksOutAndNewInstancesIn() {
        world.definition("web", 10, 100);
        ContainerInstance a = world.instance("prod", "a", 4096, 4096);
        ContainerInstance b = world.instance("prod", "b", 4096, 4096);
        world.instance("prod", "c", 4096, 4096);
        PlacementStrategy spread = PlacementStrategy.builder().type("spread").field("instanceId").build();

        List<Task> first = run(r -> r.taskDefinition("web").count(6).placementStrategy(spread)).tasks();
        first.stream().filter(t -> t.containerInstanceArn().equals(a.containerInstanceArn()))
                .forEach(t -> world.report(t, "STOPPED", containerChange("STOPPED", 0)));
        List<Task> refill = run(r -> r.taskDefinition("web").count(2).placementStrategy(spread)).tasks();
        ContainerInstance d = world.instance("prod", "d", 4096, 4096);
        List<Task> newcomer = run(r -> r.taskDefinition("web").count(2).placementStrategy(spread)).tasks();
        List<Task> even = run(r -> r.taskDefinition("web").count(4).placementStrategy(spread)).tasks();
        Stream.of(first, even).flatMap(List::stream)
                .filter(t -> t.containerInstanceArn().equals(b.containerInstanceArn()))
                .forEach(t -> world.report(t, "STOPPED", containerChange("STOPPED", 0)));
        List<Task> refillAgain = run(r -> r.taskDefinition("web").count(3).placementStrategy(spread)).tasks();

        assertThat(first.stream().collect(Collectors.groupingBy(Task::containerInstanceArn, Collectors.counting()))
                .values()).containsExactly(2L, 2L, 2L);
        assertThat(refill).extracting(Task::containerInstanceArn).containsOnly(a.containerInstanceArn());
        assertThat(newcomer).extracting(Task::containerInstanceArn).containsOnly(d.containerInstanceArn());
        assertThat(even.stream().collect(Collectors.groupingBy(Task::containerInstanceArn, Collectors.counting()))
                .values()).containsExactly(1L, 1L, 1L, 1L);
        assertThat(refillAgain).extracting(Task::containerInstanceArn).containsOnly(b.containerInstanceArn());
    }

    @Test
    void distinctInstanceCountsTasksOfEarlierCallsAndForgetsThoseThatStopped() {
        world.definition("web", 10, 100);
        world.instance("prod", "a", 4096, 4096);
        world.instance("prod", "b", 4096, 4096);
        PlacementConstraint distinct = PlacementConstraint.builder().type("distinctInstance").build();

        Task first = run(r -> r.taskDefinition("web").placementConstraints(distinct)).tasks().get(0);
        Task second = run(r -> r.taskDefinition("web").placementConstraints(distinct)).tasks().get(0);
        RunTaskResponse full = run(r -> r.taskDefinition("web").placementConstraints(distinct));
        world.report(first, "STOPPED", containerChange("STOPPED", 0));
        Task third = run(r -> r.taskDefinition("web").placementConstraints(distinct)).tasks().get(0);

        assertThat(second.containerInstanceArn()).isNotEqualTo(first.containerInstanceArn());
        assertThat(full.tasks()).isEmpty();
        assertThat(full.failures()).extracting(Failure::reason)
                .containsOnly("DistinctInstance placement constraint unsatisfied.");
        assertThat(third.containerInstanceArn()).isEqualTo(first.containerInstanceArn());
    }

    @Test
    void overridesChangeSizesAndAreEchoed() {
        world.definition("web", 256, 512);
        ContainerInstance host = world.instance("prod", "i1", 4096, 4096);
        ContainerOverride override = ContainerOverride.builder().name("app").memory(1024).cpu(512)
                .command("sh", "-c", "echo hi").environment(KeyValuePair.builder().name("A").value("b").build()).build();

        Task task = run(r -> r.taskDefinition("web").overrides(TaskOverride.builder().containerOverrides(override).build()))
                .tasks().get(0);

        assertThat(task.overrides().containerOverrides()).containsExactly(override);
        assertThat(task.containers().get(0).memory()).isEqualTo("1024");
        assertThat(world.remainingMemory(host)).isEqualTo(3072);
        assertThat(world.remainingCpu(host)).isEqualTo(3584);
    }

    @Test
    void requiredAttributesMissingEverywhereIsAnAttributeFailure() {
        world.definition(TaskDefinition.builder().family("gpu").revision(1).networkMode("bridge")
                .containerDefinitions(TaskWorld.container("app", 10, 10))
                .requiresAttributes(attribute("com.amazonaws.ecs.capability.gpu", null)).build());
        world.instance("prod", "plain", 4096, 4096);

        RunTaskResponse response = run(r -> r.taskDefinition("gpu"));

        assertThat(response.tasks()).isEmpty();
        assertThat(response.failures()).extracting(Failure::reason).containsExactly("ATTRIBUTE");
    }

    @Test
    void tagsPropagateFromTheTaskDefinitionWhenAskedAndManagedTagsNameTheCluster() {
        TaskDefinition definition = world.definition("web", 10, 10);
        world.state.write(SCOPE, tx -> {
            tx.put(TaskDefinitions.TAGS_KIND, TaskDefinitions.key(definition),
                    new TaskDefinitions.RevisionTags(List.of(tag("team", "core"), tag("tier", "web"))));
            return null;
        });
        world.instance("prod", "i1", 4096, 4096);

        Task propagated = run(r -> r.taskDefinition("web").propagateTags("TASK_DEFINITION")
                .tags(tag("tier", "batch")).enableECSManagedTags(true)).tasks().get(0);
        Task plain = run(r -> r.taskDefinition("web").tags(tag("tier", "batch"))).tasks().get(0);

        assertThat(propagated.tags()).containsExactlyInAnyOrder(tag("team", "core"), tag("tier", "batch"),
                tag("aws:ecs:clusterName", "prod"));
        assertThat(plain.tags()).containsExactly(tag("tier", "batch"));
        assertError(() -> run(r -> r.taskDefinition("web").propagateTags("EVERYTHING")), "InvalidParameterException");
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    @Test
    void aClusterWithoutInstancesIsRefusedAsEcsDoes() {
        world.definition("web", 10, 10);

        assertThatThrownBy(() -> run(r -> r.taskDefinition("web")))
                .isInstanceOfSatisfying(EcsException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidParameterException");
                    assertThat(e.getMessage()).isEqualTo("No Container Instances were found in your cluster.");
                });
    }

    @Test
    void runTaskRefusesBadRequests() {
        world.definition("web", 10, 10);
        world.definition(TaskDefinition.builder().family("old").revision(1).status("INACTIVE")
                .containerDefinitions(TaskWorld.container("app", 1, 1)).build());
        world.instance("prod", "i1", 4096, 4096);

        assertError(() -> run(r -> r.cluster("absent").taskDefinition("web")), "ClusterNotFoundException");
        assertError(() -> run(r -> { }), "InvalidParameterException");
        assertError(() -> run(r -> r.taskDefinition("nope")), "ClientException");
        assertError(() -> run(r -> r.taskDefinition("web:9")), "ClientException");
        assertError(() -> run(r -> r.taskDefinition("old:1")), "ClientException");
        assertError(() -> run(r -> r.taskDefinition("web").count(0)), "InvalidParameterException");
        assertError(() -> run(r -> r.taskDefinition("web").count(11)), "InvalidParameterException");
        assertError(() -> run(r -> r.taskDefinition("web").launchType("MANAGED_INSTANCES")),
                "InvalidParameterException");
        assertError(() -> run(r -> r.taskDefinition("web").platformVersion("1.4.0")), "InvalidParameterException");
        assertError(() -> run(r -> r.taskDefinition("web").startedBy("x".repeat(129))), "InvalidParameterException");
        assertError(() -> run(r -> r.taskDefinition("web").tags(Tag.builder().key("aws:x").value("y").build())),
                "InvalidParameterException");
        assertError(() -> run(r -> r.taskDefinition("web").overrides(TaskOverride.builder()
                .containerOverrides(ContainerOverride.builder().name("ghost").build()).build())),
                "InvalidParameterException");
        assertError(() -> run(r -> r.taskDefinition("web")
                .placementStrategy(PlacementStrategy.builder().type("binpack").field("disk").build())),
                "InvalidParameterException");
    }

    @Test
    void theSameClientTokenAndRequestReturnTheSameTasks() {
        world.definition("web", 10, 100);
        ContainerInstance host = world.instance("prod", "i1", 4096, 4096);

        RunTaskResponse first = run(r -> r.taskDefinition("web").count(2).clientToken("token-1"));
        RunTaskResponse again = run(r -> r.taskDefinition("web").count(2).clientToken("token-1"));

        assertThat(again.tasks()).extracting(Task::taskArn)
                .containsExactlyElementsOf(first.tasks().stream().map(Task::taskArn).toList());
        assertThat(world.remainingMemory(host)).isEqualTo(3896);
        assertError(() -> run(r -> r.taskDefinition("web").count(3).clientToken("token-1")), "ConflictException");
    }

    @Test
    void clientTokensExpireAndExpiredOnesArePruned() {
        world.definition("web", 10, 100);
        world.instance("prod", "i1", 4096, 4096);
        String first = run(r -> r.taskDefinition("web").clientToken("t1")).tasks().get(0).taskArn();

        world.advance(Duration.ofHours(9));
        String later = run(r -> r.taskDefinition("web").clientToken("t1")).tasks().get(0).taskArn();
        world.advance(Duration.ofHours(9));
        run(r -> r.taskDefinition("web").clientToken("t0"));

        assertThat(later).isNotEqualTo(first);
        assertThat(world.state.region(SCOPE).get(Tasks.CLIENT_TOKENS, "prod/t1")).isEmpty();
        assertThat(world.state.region(SCOPE).get(Tasks.CLIENT_TOKENS, "prod/t0")).isPresent();
    }

    @Test
    void featuresThatCannotBeProvidedAreRefused() {
        world.definition("web", 10, 100);
        world.definition(TaskDefinition.builder().family("fargate-only").revision(1).networkMode("bridge")
                .requiresCompatibilitiesWithStrings("FARGATE").containerDefinitions(TaskWorld.container("app", 1, 1))
                .build());
        world.instance("prod", "i1", 4096, 4096);

        assertError(() -> run(r -> r.taskDefinition("web").enableExecuteCommand(true)), "UnsupportedFeatureException");
        assertError(() -> run(r -> r.taskDefinition("fargate-only")), "InvalidParameterException");
        assertError(() -> run(r -> r.taskDefinition("web").networkConfiguration(n -> n.awsvpcConfiguration(
                a -> a.subnets("subnet-1")))), "InvalidParameterException");
    }

    @Test
    void startTaskPlacesOneTaskOnEachNamedInstance() {
        world.definition("web", 10, 100);
        ContainerInstance a = world.instance("prod", "a", 4096, 4096);
        ContainerInstance small = world.instance("prod", "small", 4096, 50);

        var response = world.tasks.startTask(CALLER, StartTaskRequest.builder().cluster("prod").taskDefinition("web")
                .containerInstances("a", small.containerInstanceArn(), "ghost").build());

        assertThat(response.tasks()).extracting(Task::containerInstanceArn).containsExactly(a.containerInstanceArn());
        assertThat(response.failures()).extracting(Failure::reason).containsExactly("RESOURCE:MEMORY", "MISSING");
        assertThat(response.failures().get(1).arn()).isEqualTo(SCOPE.arn("container-instance/prod/ghost"));
        assertError(() -> world.tasks.startTask(CALLER, StartTaskRequest.builder().cluster("prod").taskDefinition("web")
                .build()), "InvalidParameterException");
    }

    @Test
    void stopTaskSetsTheDesiredStatusAndWaitsForTheAgent() {
        world.definition("web", 10, 100);
        ContainerInstance host = world.instance("prod", "i1", 4096, 4096);
        Task task = world.runOne("web");

        Task stopped = world.tasks.stopTask(CALLER, StopTaskRequest.builder().cluster("prod").task(task.taskArn())
                .build()).task();
        Task again = world.tasks.stopTask(CALLER, StopTaskRequest.builder().cluster("prod")
                .task(Tasks.idOf(task.taskArn())).reason("other").build()).task();

        assertThat(stopped.desiredStatus()).isEqualTo("STOPPED");
        assertThat(stopped.lastStatus()).isEqualTo("PENDING");
        assertThat(stopped.stopCodeAsString()).isEqualTo("UserInitiated");
        assertThat(stopped.stoppedReason()).isEqualTo("Task stopped by user");
        assertThat(stopped.stoppingAt()).isEqualTo(NOW);
        assertThat(stopped.version()).isEqualTo(2L);
        assertThat(again).isEqualTo(stopped);
        assertThat(world.remainingMemory(host)).isEqualTo(3996);
    }

    @Test
    void stopTaskRefusesUnknownTasksAndLongReasons() {
        assertThatThrownBy(() -> world.tasks.stopTask(CALLER, StopTaskRequest.builder().cluster("prod")
                .task("0123456789abcdef0123456789abcdef").build()))
                .isInstanceOfSatisfying(EcsException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidParameterException");
                    assertThat(e.getMessage()).isEqualTo("The referenced task was not found.");
                });
        assertError(() -> world.tasks.stopTask(CALLER, StopTaskRequest.builder().cluster("prod").task("x")
                .reason("r".repeat(256)).build()), "InvalidParameterException");
        assertError(() -> world.tasks.stopTask(CALLER, StopTaskRequest.builder().cluster("absent").task("x").build()),
                "ClusterNotFoundException");
    }

    @Test
    void describeTasksReportsMissingOnesAndShowsTagsOnlyWhenIncluded() {
        world.definition("web", 10, 100);
        world.instance("prod", "i1", 4096, 4096);
        Task task = run(r -> r.taskDefinition("web").tags(Tag.builder().key("team").value("a").build())).tasks().get(0);

        DescribeTasksResponse plain = world.tasks.describeTasks(CALLER, DescribeTasksRequest.builder().cluster("prod")
                .tasks(Tasks.idOf(task.taskArn()), "0123456789abcdef0123456789abcdef").build());
        DescribeTasksResponse tagged = world.tasks.describeTasks(CALLER, DescribeTasksRequest.builder().cluster("prod")
                .tasks(task.taskArn()).include(TaskField.TAGS).build());

        assertThat(plain.tasks()).extracting(Task::taskArn).containsExactly(task.taskArn());
        assertThat(plain.tasks().get(0).hasTags()).isFalse();
        assertThat(plain.failures()).singleElement().satisfies(f -> {
            assertThat(f.arn()).isEqualTo(SCOPE.arn("task/prod/0123456789abcdef0123456789abcdef"));
            assertThat(f.reason()).isEqualTo("MISSING");
        });
        assertThat(tagged.tasks().get(0).tags()).containsExactly(Tag.builder().key("team").value("a").build());
        assertError(() -> world.tasks.describeTasks(CALLER, DescribeTasksRequest.builder().cluster("prod").build()),
                "InvalidParameterException");
    }

    @Test
    void listTasksFiltersAndPages() {
        world.definition("web", 10, 10);
        world.definition("db", 10, 10);
        ContainerInstance a = world.instance("prod", "a", 4096, 4096);
        world.instance("prod", "b", 4096, 4096);
        List<Task> web = run(r -> r.taskDefinition("web").count(3).startedBy("ci")).tasks();
        Task db = world.runOne("db");
        world.tasks.stopTask(CALLER, StopTaskRequest.builder().cluster("prod").task(db.taskArn()).build());

        List<String> running = world.tasks.listTasks(CALLER, ListTasksRequest.builder().cluster("prod").build()).taskArns();
        List<String> stopped = world.tasks.listTasks(CALLER, ListTasksRequest.builder().cluster("prod")
                .desiredStatus("STOPPED").build()).taskArns();
        List<String> byFamily = world.tasks.listTasks(CALLER, ListTasksRequest.builder().cluster("prod").family("web")
                .build()).taskArns();
        List<String> byStarter = world.tasks.listTasks(CALLER, ListTasksRequest.builder().cluster("prod")
                .startedBy("ci").build()).taskArns();
        List<String> onA = world.tasks.listTasks(CALLER, ListTasksRequest.builder().cluster("prod")
                .containerInstance("a").build()).taskArns();
        var page1 = world.tasks.listTasks(CALLER, ListTasksRequest.builder().cluster("prod").maxResults(2).build());
        var page2 = world.tasks.listTasks(CALLER, ListTasksRequest.builder().cluster("prod").maxResults(2)
                .nextToken(page1.nextToken()).build());

        List<String> webArns = web.stream().map(Task::taskArn).toList();
        assertThat(running).containsExactlyInAnyOrderElementsOf(webArns);
        assertThat(stopped).containsExactly(db.taskArn());
        assertThat(byFamily).containsExactlyInAnyOrderElementsOf(webArns);
        assertThat(byStarter).containsExactlyInAnyOrderElementsOf(webArns);
        assertThat(onA).allSatisfy(arn -> assertThat(web.stream().filter(t -> t.taskArn().equals(arn)).findFirst()
                .orElseThrow().containerInstanceArn()).isEqualTo(a.containerInstanceArn()));
        assertThat(page1.taskArns()).hasSize(2);
        assertThat(page2.taskArns()).hasSize(1).doesNotContainAnyElementsOf(page1.taskArns());
        assertThat(page2.nextToken()).isNull();
        assertError(() -> world.tasks.listTasks(CALLER, ListTasksRequest.builder().cluster("absent").build()),
                "ClusterNotFoundException");
    }

    @Test
    void claimsSurviveARestartSoAStopAfterwardsStillGivesResourcesBack() {
        world.definition("web", 100, 300, hostPort(9000));
        ContainerInstance host = world.instance("prod", "i1", 1024, 1024);
        Task task = world.runOne("web");

        world = world.restarted();
        world.report(task, "STOPPED");

        assertThat(world.remainingMemory(host)).isEqualTo(1024);
        assertThat(world.remainingCpu(host)).isEqualTo(1024);
        assertThat(world.usedPorts(host)).doesNotContain("9000");
    }
}
