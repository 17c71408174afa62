package io.berth.e2e;

import static io.berth.e2e.TaskWaits.awaitStatus;
import static io.berth.e2e.TaskWaits.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.agent.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * A {@code berth agent} process on this host's Docker Engine, configured with a follower, through a kill -9 of the
 * leader: it finds the new leader through that follower, and its tasks converge (what runs keeps running in the
 * same container, what is stopped stops, what is run starts) with no container orphaned or started twice.
 */
class NodeAgentsOnDockerTest {

    @RegisterExtension
    static final PostgresNodes postgres = new PostgresNodes();

    private static final String ACCOUNT = DockerHost.freshAccountId();
    private static final Duration LEASE_TTL = Duration.ofSeconds(2);
    private static final Duration SOON = Duration.ofSeconds(90);
    private static final String CLUSTER = "docker-nodes";

    @TempDir
    Path dir;
    private BerthProcess agent;
    private String agentOutput = "(no agent started)";

    @RegisterExtension
    final TestWatcher agentOutputOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            System.out.println("==== the agent's output\n" + agentOutput);
        }
    };

    @BeforeAll
    static void requireDocker() {
        DockerHost.requireDocker();
    }

    @AfterEach
    void stopAgentAndRemoveItsContainers() {
        if (agent != null) {
            agent.kill();
            agentOutput = agent.output();
        }
        DockerHost.removeContainersOfAccount(ACCOUNT);
    }

    @Test
    void anAgentFollowsTheLeaseToTheNewLeaderAndItsTasksConvergeNoneOrphanedNoneStartedTwice() {
        NodeSet nodes = postgres.start(3, LEASE_TTL, "--account-id", ACCOUNT);
        NodeSet.Leading first = nodes.awaitLease(lease -> true);
        Node configured = nodes.others(first.node()).getFirst();
        EcsClient ecs = nodes.ecs(configured);
        ecs.createCluster(r -> r.clusterName(CLUSTER));
        ecs.registerTaskDefinition(r -> r.family("sleeper").containerDefinitions(c -> c.name("sleeper")
                .image(TestImages.BUSYBOX).memory(16).essential(true).stopTimeout(2)
                .entryPoint("/bin/busybox", "sh", "-c")
                .command("trap 'exit 0' TERM; while true; do busybox sleep 1 & wait $!; done")));
        agent = BerthProcess.agent(configured.endpoint(), nodes.credentialsFile(), TestCa.CERTIFICATE, dir.resolve("agent"),
                "--cluster", CLUSTER);
        String instanceArn = agent.containerInstanceArn();
        await().atMost(SOON).until(() -> instance(ecs, CLUSTER, instanceArn).agentConnected());
        List<String> before = ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("sleeper").count(2)).tasks()
                .stream().map(Task::taskArn).toList();
        Map<String, List<String>> containersBefore = new HashMap<>();
        for (String task : before) {
            awaitStatus(ecs, CLUSTER, task, "RUNNING", SOON);
            containersBefore.put(task, DockerHost.containersOf(task));
        }

        nodes.kill(first.node());
        nodes.awaitLeaderAfter(first.lease().epoch());

        String kept = before.get(0);
        String stopped = before.get(1);
        String later = ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("sleeper")).tasks().getFirst().taskArn();
        awaitStatus(ecs, CLUSTER, later, "RUNNING", SOON);
        ecs.stopTask(r -> r.cluster(CLUSTER).task(stopped));
        awaitStatus(ecs, CLUSTER, stopped, "STOPPED", SOON);

        assertThat(DockerHost.runningContainersOf(stopped)).as("the task stopped after the failover").isEmpty();
        assertThat(TaskWaits.describe(ecs, CLUSTER, kept).lastStatus()).isEqualTo("RUNNING");
        assertThat(DockerHost.containersOf(kept)).as("the task kept, in the container it had before")
                .isEqualTo(containersBefore.get(kept)).hasSize(1);
        assertThat(DockerHost.runningContainersOf(kept)).hasSize(1);
        assertThat(DockerHost.containersOf(later)).as("the task run after the failover, started once").hasSize(1);
        assertThat(containersOfThisAccount()).as("every container of the account belongs to one of its tasks")
                .allSatisfy(task -> assertThat(Set.of(kept, stopped, later)).contains(task));
        assertThat(instance(nodes.ecs(configured), CLUSTER, instanceArn).agentConnected()).isTrue();
    }

    /** The task ARN of each container of this class's account, one entry per container. */
    private static List<String> containersOfThisAccount() {
        String listing = DockerHost.docker("ps", "-a", "--filter", "label=" + DockerHost.TASK_ARN_LABEL,
                "--format", "{{.Label \"" + DockerHost.TASK_ARN_LABEL + "\"}}");
        return listing.lines().filter(arn -> arn.contains(":" + ACCOUNT + ":task/")).toList();
    }
}
