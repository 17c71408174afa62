package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/**
 * Three nodes with a two-second lease: the lease passes to another node when its holder dies or freezes, with a
 * higher epoch; what was acknowledged before stays, and a frozen leader that wakes up after losing its lease is
 * fenced: it writes nothing and follows.
 */
class NodeFailoverTest {

    @RegisterExtension
    static final PostgresNodes postgres = new PostgresNodes();

    private static final Duration LEASE_TTL = Duration.ofSeconds(2);
    /** What a new leader may take to load a small state and serve, on a busy machine. */
    private static final Duration LOAD_ALLOWANCE = Duration.ofSeconds(15);
    private static final String ACKNOWLEDGED = "acknowledged";

    @Test
    void threeNodesStartedAtOnceOnAnEmptyDatabaseElectOneLeaderWhichAloneCreatesTheAccount() {
        NodeSet nodes = postgres.prepare(3, LEASE_TTL).startAllAtOnce();

        NodeSet.Leading leading = nodes.awaitLease(lease -> true);

        assertThat(leading.report().leaders()).singleElement()
                .satisfies(member -> assertThat(member.endpoint()).isEqualTo(leading.node().endpoint()));
        assertThat(nodes.credentialsFile()).as("the one credentials file, written by the node that made the account")
                .isNotNull();
        for (Node node : nodes.all()) {
            assertThat(nodes.ecs(node).listClusters().clusterArns()).as("signed with that key through " + node)
                    .isEmpty();
        }
    }

    @Test
    void killingTheLeaderHandsTheLeaseToAFollowerWithAHigherEpochAndLosesNoAcknowledgedWrite() {
        NodeSet nodes = postgres.start(3, LEASE_TTL);
        NodeSet.Leading first = nodes.awaitLease(lease -> true);
        List<Node> followers = nodes.others(first.node());
        Map<String, String> agent = agentQuery(nodes, followers.getFirst(), "presence");

        Instant killedAt;
        NodeSet.Leading next;
        List<String> acknowledged;
        List<String> refused;
        Duration failover;
        try (LeaderSampler sampler = LeaderSampler.start(nodes, agent);
             ClusterWriters writers = ClusterWriters.start(nodes, followers, "acked")) {
            writers.awaitAcknowledged(Instant.EPOCH, 20, Duration.ofSeconds(60));

            killedAt = Instant.now();
            nodes.kill(first.node());
            next = nodes.awaitLeaderAfter(first.lease().epoch());
            writers.awaitAcknowledged(killedAt, 10, LEASE_TTL.plus(LOAD_ALLOWANCE).plus(Duration.ofSeconds(30)));
            failover = Duration.between(killedAt, writers.firstAcknowledgedSince(killedAt).orElseThrow());
            writers.close();
            sampler.close();
            acknowledged = writers.clusters(Outcome.ACKNOWLEDGED);
            refused = writers.clusters(Outcome.REFUSED);
            System.out.printf("kill -9 of the leader to the first acknowledged write: %d ms (lease TTL %d s); "
                    + "%d creates acknowledged, %d refused, %d unknown; %d leadership samples%n",
                    failover.toMillis(), LEASE_TTL.toSeconds(), acknowledged.size(), refused.size(),
                    writers.clusters(Outcome.UNKNOWN).size(), sampler.rounds().size());
            assertThat(sampler.roundsWithSeveralLeaders()).as("moments when two nodes accepted agents").isEmpty();
        }

        assertThat(next.node()).isNotEqualTo(first.node());
        assertThat(next.lease().epoch()).isGreaterThan(first.lease().epoch());
        assertThat(failover).as("from kill -9 to the first write accepted again")
                .isLessThanOrEqualTo(LEASE_TTL.plus(LOAD_ALLOWANCE));
        for (Node survivor : followers) {
            assertThat(activeClusters(nodes.ecs(survivor), acknowledged)).as("acknowledged creates, read through "
                    + survivor).containsExactlyInAnyOrderElementsOf(acknowledged);
            assertThat(activeClusters(nodes.ecs(survivor), refused)).as("refused creates").isEmpty();
        }
    }

    @Test
    void aKilledLeaderStartedAgainFollowsTheNewLeaderAndServesItsState() {
        NodeSet nodes = postgres.start(3, LEASE_TTL);
        NodeSet.Leading first = nodes.awaitLease(lease -> true);
        nodes.ecs(first.node()).createCluster(r -> r.clusterName("before-the-kill"));
        nodes.kill(first.node());
        NodeSet.Leading next = nodes.awaitLeaderAfter(first.lease().epoch());

        nodes.start(first.node());

        assertThat(nodes.process(first.node()).output()).contains("(following " + next.node().endpoint() + ")");
        NodesReport report = nodes.reportFrom(first.node()).orElseThrow();
        assertThat(report.leader().endpoint()).isEqualTo(next.node().endpoint());
        assertThat(report.leader().epoch()).isEqualTo(next.lease().epoch());
        EcsClient restarted = nodes.ecs(first.node());
        restarted.createCluster(r -> r.clusterName("after-the-restart"));
        for (Node node : nodes.all()) {
            assertThat(activeClusters(nodes.ecs(node), List.of("before-the-kill", "after-the-restart")))
                    .as("through " + node).containsExactlyInAnyOrder("before-the-kill", "after-the-restart");
        }
    }

    @Test
    void aLeaderFrozenForTwiceItsLeaseIsFencedWhenItWakesAndWritesNothingItHeld() throws Exception {
        NodeSet nodes = postgres.start(3, LEASE_TTL);
        NodeSet.Leading first = nodes.awaitLease(lease -> true);
        Node frozen = first.node();
        Map<String, String> agent = agentQuery(nodes, frozen, "fencing");
        nodes.ecs(frozen).createCluster(r -> r.clusterName("before-the-freeze"));
        ClusterWriters straightToIt = ClusterWriters.start(nodes, List.of(frozen), "straight",
                Duration.ofSeconds(60));
        straightToIt.awaitAcknowledged(Instant.EPOCH, 5, Duration.ofSeconds(60));

        nodes.pause(frozen);
        CompletableFuture<String> sentToTheFrozenNode = CompletableFuture.supplyAsync(() -> {
            try {
                nodes.ecs(frozen, Duration.ofSeconds(60)).createCluster(r -> r.clusterName("sent-while-frozen"));
                return ACKNOWLEDGED;
            } catch (AwsServiceException e) {
                return "answered " + e.statusCode() + " " + e.awsErrorDetails().errorCode();
            } catch (SdkClientException e) {
                return "no answer: " + e.getMessage();
            }
        });
        Thread.sleep(LEASE_TTL.multipliedBy(2));
        NodeSet.Leading next = nodes.awaitLeaderAfter(first.lease().epoch());
        nodes.ecs(next.node()).createCluster(r -> r.clusterName("while-it-was-frozen"));

        nodes.resume(frozen);

        assertThat(nodes.acceptsAgents(frozen, agent)).as("the woken node accepts agents as if it led").isFalse();
        String answer = sentToTheFrozenNode.get(90, TimeUnit.SECONDS);
        straightToIt.awaitAcknowledged(Instant.now(), 3, Duration.ofSeconds(60));
        straightToIt.close();
        straightToIt.calls().stream().filter(call -> call.outcome() != Outcome.ACKNOWLEDGED)
                .forEach(call -> System.out.println("Straight to the frozen node, not acknowledged: " + call));
        NodesReport report = nodes.reportFrom(frozen).orElseThrow();
        assertThat(report.leader().epoch()).isGreaterThan(first.lease().epoch());
        assertThat(report.leader().endpoint()).isNotEqualTo(frozen.endpoint());
        assertThat(report.nodes()).filteredOn(member -> member.endpoint().equals(frozen.endpoint()))
                .singleElement().satisfies(member -> assertThat(member.leader()).isFalse());
        assertThat(answer).as("the call sent to the frozen node, once it woke").doesNotStartWith("no answer");
        List<String> expected = new ArrayList<>(List.of("before-the-freeze", "while-it-was-frozen"));
        if (answer.equals(ACKNOWLEDGED)) {
            expected.add("sent-while-frozen");
        }
        for (Node node : nodes.all()) {
            assertThat(activeClusters(nodes.ecs(node),
                    List.of("before-the-freeze", "while-it-was-frozen", "sent-while-frozen")))
                    .as("through " + node + ", the call to the frozen node having been " + answer)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        List<String> acknowledged = straightToIt.clusters(Outcome.ACKNOWLEDGED);
        List<String> answeredWithAnError = straightToIt.clustersAnsweredWithAnError();
        for (Node node : nodes.all()) {
            assertThat(activeClusters(nodes.ecs(node), acknowledged)).as("creates it acknowledged, through " + node)
                    .containsExactlyInAnyOrderElementsOf(acknowledged);
            assertThat(activeClusters(nodes.ecs(node), answeredWithAnError))
                    .as("creates it answered with an error, through " + node).isEmpty();
        }
        nodes.ecs(frozen).createCluster(r -> r.clusterName("through-the-woken-node"));
        assertThat(activeClusters(nodes.ecs(next.node()), List.of("through-the-woken-node"))).hasSize(1);
    }

    /** An ACS query for an instance registered (through the node given) in a cluster of its own. */
    private static Map<String, String> agentQuery(NodeSet nodes, Node through, String cluster) {
        nodes.ecs(through).createCluster(r -> r.clusterName(cluster));
        ContainerInstance instance = Instances.register(nodes.ecs(through), cluster);
        return AgentSocket.acsQuery(cluster, instance.containerInstanceArn());
    }

    /** Which of the named clusters are ACTIVE, asked a hundred at a time. */
    static List<String> activeClusters(EcsClient ecs, List<String> names) {
        List<String> active = new ArrayList<>();
        for (int from = 0; from < names.size(); from += 100) {
            List<String> batch = names.subList(from, Math.min(names.size(), from + 100));
            ecs.describeClusters(r -> r.clusters(batch)).clusters().stream()
                    .filter(cluster -> cluster.status().equals("ACTIVE")).map(Cluster::clusterName)
                    .forEach(active::add);
        }
        return active;
    }
}
