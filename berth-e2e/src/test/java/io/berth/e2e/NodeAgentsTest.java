package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.model.acs.AckRequest;
import io.berth.model.acs.PayloadMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.PlacementStrategyType;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Agents, as the ACS protocol has them, through a kill -9 of the leader: told by the node they are configured with
 * where the new leader is, they connect to it and are sent every task they hold, each on the instance it was on.
 */
class NodeAgentsTest {

    @RegisterExtension
    static final PostgresNodes postgres = new PostgresNodes();

    private static final Duration LEASE_TTL = Duration.ofSeconds(2);
    private static final String CLUSTER = "converging";

    @Test
    void agentsRediscoverTheNewLeaderAfterAKillAndAreSentEveryTaskTheyHeldAndNoOther() throws Exception {
        NodeSet nodes = postgres.start(3, LEASE_TTL);
        NodeSet.Leading leading = nodes.awaitLease(lease -> true);
        Node first = leading.node();
        Node configured = nodes.others(first).getFirst();
        EcsClient ecs = nodes.ecs(configured);
        ecs.createCluster(r -> r.clusterName(CLUSTER));
        List<ContainerInstance> instances = List.of(Instances.register(ecs, CLUSTER), Instances.register(ecs, CLUSTER));
        ecs.registerTaskDefinition(r -> r.family("held").containerDefinitions(c -> c.name("app")
                .image("berth-test/busybox").memory(64)));
        Map<String, AgentSocket> before = connect(nodes, ecs, instances);
        assertThat(discoveredEndpoint(ecs, instances.getFirst())).isEqualTo(first.endpoint());
        Map<String, String> placed = ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("held").count(6)
                .placementStrategy(s -> s.type(PlacementStrategyType.SPREAD).field("instanceId"))).tasks().stream()
                .collect(Collectors.toMap(Task::taskArn, Task::containerInstanceArn));
        for (ContainerInstance instance : instances) {
            assertThat(awaitHeld(before.get(instance.containerInstanceArn()), instance, tasksOn(placed, instance)))
                    .as("tasks sent to the agent of " + instance.containerInstanceArn() + " before the kill")
                    .isEqualTo(tasksOn(placed, instance));
        }

        nodes.kill(first);
        Node next = nodes.awaitLeaderAfter(leading.lease().epoch()).node();
        await().atMost(LEASE_TTL.plus(Duration.ofSeconds(60))).ignoreExceptions()
                .alias("DiscoverPollEndpoint through " + configured + " names the new leader")
                .until(() -> discoveredEndpoint(ecs, instances.getFirst()).equals(next.endpoint()));
        Map<String, AgentSocket> after = connect(nodes, ecs, instances);

        for (ContainerInstance instance : instances) {
            assertThat(awaitHeld(after.get(instance.containerInstanceArn()), instance, tasksOn(placed, instance)))
                    .as("tasks sent to the agent of " + instance.containerInstanceArn() + " by the new leader")
                    .isEqualTo(tasksOn(placed, instance));
        }
        Map<String, String> described = ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(placed.keySet())).tasks()
                .stream().collect(Collectors.toMap(Task::taskArn, Task::containerInstanceArn));
        assertThat(described).as("every task on the instance it was placed on").isEqualTo(placed);
        String later = ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("held")).tasks().getFirst().taskArn();
        String laterOn = nodes.ecs(next).describeTasks(r -> r.cluster(CLUSTER).tasks(later)).tasks().getFirst()
                .containerInstanceArn();
        ContainerInstance laterInstance = instances.stream()
                .filter(i -> i.containerInstanceArn().equals(laterOn)).findFirst().orElseThrow();
        assertThat(SeveralNodesTest.awaitPayloadWith(after.get(laterOn), CLUSTER, laterInstance, later,
                Duration.ofSeconds(2))).as("a task run after the failover reaches its reconnected agent").isTrue();
        after.values().forEach(AgentSocket::close);
    }

    /** Opens an ACS socket for each instance where DiscoverPollEndpoint (through {@code ecs}) says to. */
    private static Map<String, AgentSocket> connect(NodeSet nodes, EcsClient ecs, List<ContainerInstance> instances)
            throws Exception {
        Map<String, AgentSocket> sockets = new HashMap<>();
        for (ContainerInstance instance : instances) {
            sockets.put(instance.containerInstanceArn(), AgentSocket.open(discoveredEndpoint(ecs, instance),
                    nodes.rootKey(), RunningBerth.REGION, AgentSocket.acsQuery(CLUSTER, instance.containerInstanceArn())));
        }
        return sockets;
    }

    private static String discoveredEndpoint(EcsClient ecs, ContainerInstance instance) {
        return ecs.discoverPollEndpoint(r -> r.cluster(CLUSTER).containerInstance(instance.containerInstanceArn()))
                .endpoint();
    }

    private static Set<String> tasksOn(Map<String, String> placed, ContainerInstance instance) {
        return placed.entrySet().stream().filter(e -> e.getValue().equals(instance.containerInstanceArn()))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /**
     * The tasks sent to the agent as desired RUNNING, acknowledging each payload, once they are the expected ones
     * or after 30 seconds.
     */
    private static Set<String> awaitHeld(AgentSocket agent, ContainerInstance instance, Set<String> expected)
            throws InterruptedException {
        Set<String> held = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!held.equals(expected) && System.nanoTime() < deadline) {
            PayloadMessage payload = agent.next(PayloadMessage.class, Duration.ofNanos(deadline - System.nanoTime()));
            if (payload == null) {
                break;
            }
            agent.send(new AckRequest(CLUSTER, instance.containerInstanceArn(), payload.messageId()));
            payload.tasks().forEach(task -> {
                if (task.desiredStatus().equals("RUNNING")) {
                    held.add(task.arn());
                } else {
                    held.remove(task.arn());
                }
            });
        }
        return held;
    }
}
