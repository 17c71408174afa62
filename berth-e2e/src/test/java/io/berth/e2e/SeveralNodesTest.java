package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.model.acs.AckRequest;
import io.berth.model.acs.PayloadMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Three nodes on one PostgreSQL act as one ECS: one leads, the others forward every request to it unchanged, and
 * what any node acknowledges every node shows at once, however the callers spread over them.
 */
class SeveralNodesTest {

    @RegisterExtension
    static final PostgresNodes postgres = new PostgresNodes();

    /** Four tasks of this size fit on an instance of {@link Instances#MEMORY} MiB, five do not. */
    private static final int QUARTER_OF_AN_INSTANCE = 900;

    @TempDir
    static Path dir;
    static NodeSet nodes;
    static Node leader;

    @BeforeAll
    static void startThreeNodes() {
        nodes = postgres.start(3, Duration.ofSeconds(10));
        leader = nodes.leader();
    }

    private static EcsClient ecs(Node node) {
        return nodes.ecs(node);
    }

    /** The node after this one, round the set: a caller's "other" node. */
    private static Node next(Node node) {
        return nodes.all().get((node.index() + 1) % nodes.all().size());
    }

    private static Node spread(int caller) {
        return nodes.all().get(caller % nodes.all().size());
    }

    @Test
    void oneNodeLeadsAndEveryNodeNamesTheSameLeaseAndMembers() {
        Set<Long> epochs = new HashSet<>();
        for (Node node : nodes.all()) {
            NodesReport report = nodes.reportFrom(node).orElseThrow(() -> new AssertionError(node + " gave no report"));

            assertThat(report.leader()).as("the lease, asked through " + node).isNotNull();
            assertThat(report.leader().endpoint()).isEqualTo(leader.endpoint());
            assertThat(report.leader().epoch()).isPositive();
            assertThat(report.nodes()).extracting(NodesReport.Member::endpoint)
                    .containsExactlyInAnyOrderElementsOf(nodes.all().stream().map(Node::endpoint).toList());
            assertThat(report.leaders()).singleElement().satisfies(member -> {
                assertThat(member.endpoint()).isEqualTo(leader.endpoint());
                assertThat(member.nodeId()).isEqualTo(report.leader().nodeId());
            });
            epochs.add(report.leader().epoch());
        }
        assertThat(epochs).as("no handover while nothing failed").hasSize(1);
    }

    @Test
    void everyNodeAnswersItsOwnProbesUnsignedAndNeverForwardsThem() throws Exception {
        try (HttpClient http = TestCa.TRUST.httpClient().build()) {
            for (Node node : nodes.all()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> get(http, node, "/readyz").statusCode() == 200);
                HttpResponse<String> health = get(http, node, "/healthz");
                HttpResponse<String> metrics = get(http, node, "/metrics");

                assertThat(health.statusCode()).as(node + " /healthz").isEqualTo(200);
                assertThat(metrics.statusCode()).as(node + " /metrics").isEqualTo(200);
                assertThat(metrics.body()).as(node + " /metrics").contains("jvm_memory_used_bytes");
                // The state's meters are the leader's alone: a follower that forwarded /metrics would show them.
                if (node.equals(leader)) {
                    assertThat(metrics.body()).contains("berth_tasks{status=\"RUNNING\"}");
                } else {
                    assertThat(metrics.body()).as(node + " /metrics").doesNotContain("berth_tasks{");
                }
            }
        }
    }

    private static HttpResponse<String> get(HttpClient http, Node node, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(node.endpoint() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theLeaderSaysItListensAndEachFollowerNamesTheLeaderItFollows() {
        assertThat(nodes.process(leader).output()).contains("Berth is listening on " + leader.endpoint())
                .doesNotContain("(following ");
        for (Node follower : nodes.others(leader)) {
            assertThat(nodes.process(follower).output())
                    .contains("Berth is listening on " + follower.endpoint())
                    .contains("(following " + leader.endpoint() + ")");
        }
    }

    @Test
    void aCreateOnAnyNodeIsVisibleOnEveryNodeAtOnce() {
        for (Node creator : nodes.all()) {
            String name = "made-on-node-" + (creator.index() + 1);
            String arn = ecs(creator).createCluster(r -> r.clusterName(name)).cluster().clusterArn();

            for (Node reader : nodes.all()) {
                assertThat(ecs(reader).describeClusters(r -> r.clusters(name)).clusters())
                        .as(name + " read through " + reader).singleElement()
                        .satisfies(cluster -> {
                            assertThat(cluster.clusterArn()).isEqualTo(arn);
                            assertThat(cluster.status()).isEqualTo("ACTIVE");
                        });
            }
        }
    }

    @Test
    void anIamUserCreatedOnAnyNodeIsVisibleOnEveryNodeAtOnce() {
        for (Node creator : nodes.all()) {
            String name = "user-on-node-" + (creator.index() + 1);
            try (IamClient iam = nodes.iam(creator)) {
                iam.createUser(r -> r.userName(name));
            }

            for (Node reader : nodes.all()) {
                try (IamClient iam = nodes.iam(reader)) {
                    assertThat(iam.getUser(r -> r.userName(name)).user().userName()).as("through " + reader)
                            .isEqualTo(name);
                }
            }
        }
    }

    @Test
    void aSignedRequestVerifiesThroughEveryNodeAsTheSameCaller() {
        Set<String> callers = new HashSet<>();
        for (Node node : nodes.all()) {
            try (StsClient sts = nodes.sts(node)) {
                callers.add(sts.getCallerIdentity().arn());
            }
        }

        assertThat(callers).singleElement().satisfies(arn -> assertThat(arn).endsWith(":root"));
    }

    @Test
    void aWronglySignedRequestThroughAFollowerIsRefusedAsTheLeaderRefusesIt() {
        AwsBasicCredentials forged = AwsBasicCredentials.create(nodes.credentials().accessKeyId(), "not-the-secret");
        for (Node node : nodes.all()) {
            try (EcsClient forger = nodes.ecs(node, forged)) {
                assertThatThrownBy(forger::listClusters).as("through " + node)
                        .isInstanceOfSatisfying(EcsException.class, e -> {
                            assertThat(e.statusCode()).isEqualTo(400);
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                        });
            }
        }
    }

    @Test
    void berthNodesWithAnUnknownKeyIsRefused() throws IOException {
        Path stranger = dir.resolve("stranger-credentials");
        Files.writeString(stranger, "[default]\naws_access_key_id = AKIAUNKNOWNUNKNOWN00\n"
                + "aws_secret_access_key = not-a-secret\n");

        Commands.Result result = nodes.nodesCommand(nodes.others(leader).getFirst(), stranger);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("UnrecognizedClientException").doesNotContain("\"leader\"");
    }

    @Test
    void onlyTheLeaderAcceptsAgentWebsockets() throws Exception {
        ecs(leader).createCluster(r -> r.clusterName("sockets"));
        ContainerInstance instance = Instances.register(ecs(next(leader)), "sockets");
        Map<String, String> query = AgentSocket.acsQuery("sockets", instance.containerInstanceArn());

        for (Node follower : nodes.others(leader)) {
            assertThatThrownBy(() -> AgentSocket.open(follower.endpoint(), nodes.rootKey(), RunningBerth.REGION, query))
                    .as("an upgrade on " + follower).isInstanceOf(ExecutionException.class)
                    .hasStackTraceContaining("503");
        }
        try (AgentSocket socket = AgentSocket.open(leader.endpoint(), nodes.rootKey(), RunningBerth.REGION, query)) {
            for (Node reader : nodes.all()) {
                await().atMost(Duration.ofSeconds(10)).alias("connected, read through " + reader).until(() ->
                        ecs(reader).describeContainerInstances(r -> r.cluster("sockets")
                                .containerInstances(instance.containerInstanceArn()))
                                .containerInstances().getFirst().agentConnected());
            }
        }
    }

    @Test
    void concurrentRegistrationsOfOneFamilyOverEveryNodeGetEveryRevisionOnceEachWithItsCallersDefinition() {
        int callers = 120;

        List<Integer> revisions = AllAtOnce.call(callers, caller -> ecs(spread(caller)).registerTaskDefinition(r -> r
                .family("contended").containerDefinitions(c -> c.name("app").image("berth-test/busybox").memory(32)
                        .environment(KeyValuePair.builder().name("CALLER").value(Integer.toString(caller)).build())))
                .taskDefinition().revision());

        assertThat(revisions).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, callers).boxed().toList());
        for (int caller = 0; caller < callers; caller++) {
            String revision = "contended:" + revisions.get(caller);
            Node reader = next(spread(caller));
            List<KeyValuePair> environment = ecs(reader).describeTaskDefinition(r -> r.taskDefinition(revision))
                    .taskDefinition().containerDefinitions().getFirst().environment();
            assertThat(environment).as(revision + " read through " + reader)
                    .containsExactly(KeyValuePair.builder().name("CALLER").value(Integer.toString(caller)).build());
        }
        for (Node reader : nodes.all()) {
            assertThat(ecs(reader).listTaskDefinitionsPaginator(r -> r.familyPrefix("contended")).taskDefinitionArns())
                    .as("revisions listed through " + reader).hasSize(callers);
        }
    }

    @Test
    void fortyRunTasksOverEveryNodeWithRoomForTwentyPlaceTwentyAndOversubscribeNothing() {
        String cluster = "room-for-twenty";
        ecs(leader).createCluster(r -> r.clusterName(cluster));
        List<ContainerInstance> instances = IntStream.range(0, 5)
                .mapToObj(i -> Instances.register(ecs(spread(i)), cluster)).toList();
        ecs(next(leader)).registerTaskDefinition(r -> r.family("quarter").containerDefinitions(c -> c.name("app")
                .image("berth-test/busybox").memory(QUARTER_OF_AN_INSTANCE)));

        List<RunTaskResponse> answers = AllAtOnce.call(40, caller ->
                ecs(spread(caller)).runTask(r -> r.cluster(cluster).taskDefinition("quarter")));

        List<Task> placed = answers.stream().flatMap(a -> a.tasks().stream()).toList();
        List<RunTaskResponse> refused = answers.stream().filter(a -> a.tasks().isEmpty()).toList();
        assertThat(placed).hasSize(20);
        assertThat(refused).hasSize(20).allSatisfy(answer -> assertThat(answer.failures())
                .extracting(Failure::reason).containsOnly("RESOURCE:MEMORY"));
        Map<String, Long> placedPerInstance = placed.stream()
                .collect(Collectors.groupingBy(Task::containerInstanceArn, Collectors.counting()));
        for (Node reader : nodes.all()) {
            assertThat(ecs(reader).listTasksPaginator(r -> r.cluster(cluster)).taskArns()).as("through " + reader)
                    .containsExactlyInAnyOrderElementsOf(placed.stream().map(Task::taskArn).toList());
            List<ContainerInstance> described = ecs(reader).describeContainerInstances(r -> r.cluster(cluster)
                    .containerInstances(instances.stream().map(ContainerInstance::containerInstanceArn).toList()))
                    .containerInstances();
            for (ContainerInstance instance : described) {
                long tasks = placedPerInstance.getOrDefault(instance.containerInstanceArn(), 0L);
                int remaining = Instances.resource(instance.remainingResources(), "MEMORY").integerValue();
                assertThat(tasks).as("tasks on " + instance.containerInstanceArn()).isLessThanOrEqualTo(4);
                assertThat(remaining).as("memory left on " + instance.containerInstanceArn())
                        .isEqualTo(Instances.MEMORY - tasks * QUARTER_OF_AN_INSTANCE);
                assertThat(instance.pendingTasksCount() + instance.runningTasksCount()).isEqualTo((int) tasks);
            }
        }
    }

    @Test
    void aTaskRunThroughAnyNodeReachesTheAgentConnectedToTheLeaderWithinTwoSeconds() throws Exception {
        String cluster = "dispatch";
        ecs(leader).createCluster(r -> r.clusterName(cluster));
        ContainerInstance instance = Instances.register(ecs(leader), cluster);
        ecs(leader).registerTaskDefinition(r -> r.family("dispatched").containerDefinitions(c -> c.name("app")
                .image("berth-test/busybox").memory(32)));

        try (AgentSocket agent = AgentSocket.open(leader.endpoint(), nodes.rootKey(), RunningBerth.REGION,
                AgentSocket.acsQuery(cluster, instance.containerInstanceArn()))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> ecs(leader).describeContainerInstances(r -> r
                    .cluster(cluster).containerInstances(instance.containerInstanceArn()))
                    .containerInstances().getFirst().agentConnected());
            for (Node node : nodes.all()) {
                String taskArn = ecs(node).runTask(r -> r.cluster(cluster).taskDefinition("dispatched"))
                        .tasks().getFirst().taskArn();

                assertThat(awaitPayloadWith(agent, cluster, instance, taskArn, Duration.ofSeconds(2)))
                        .as("the agent was sent the task run through " + node).isTrue();
            }
        }
    }

    /** Reads payloads, acknowledging each, until one holds the task; false if none did in time. */
    static boolean awaitPayloadWith(AgentSocket agent, String cluster, ContainerInstance instance, String taskArn,
            Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            PayloadMessage payload = agent.next(PayloadMessage.class, Duration.ofNanos(deadline - System.nanoTime()));
            if (payload == null) {
                return false;
            }
            agent.send(new AckRequest(cluster, instance.containerInstanceArn(), payload.messageId()));
            if (payload.tasks().stream().map(task -> task.arn()).anyMatch(taskArn::equals)) {
                return true;
            }
        }
        return false;
    }
}
