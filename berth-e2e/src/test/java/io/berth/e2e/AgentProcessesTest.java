package io.berth.e2e;

import static io.berth.e2e.TaskWaits.awaitStatus;
import static io.berth.e2e.TaskWaits.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.PlacementStrategyType;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * {@code berth server} with {@code berth agent} processes on this host's Docker Engine, each in its own JVM with
 * its own data directory: two agents in one cluster, and an agent killed with SIGKILL and started again.
 */
class AgentProcessesTest {

    private static final String ACCOUNT = DockerHost.freshAccountId();
    private static final Duration SOON = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static BerthProcess server;
    static EcsClient ecs;

    private final List<BerthProcess> agents = new ArrayList<>();

    @BeforeAll
    static void start() {
        DockerHost.requireDocker();
        server = BerthProcess.start(dir.resolve("server"), "--account-id", ACCOUNT);
        ecs = BerthProcess.client(dir.resolve("server"), server.port());
    }

    @AfterEach
    void killAgents() {
        agents.forEach(BerthProcess::kill);
    }

    @AfterAll
    static void stop() {
        if (ecs != null) {
            ecs.close();
        }
        if (server != null) {
            server.kill();
            DockerHost.removeContainersOfAccount(ACCOUNT);
        }
    }

    private BerthProcess agent(String cluster, String name, String... extraArguments) {
        List<String> arguments = new ArrayList<>(List.of("--cluster", cluster));
        arguments.addAll(List.of(extraArguments));
        BerthProcess agent = BerthProcess.agent(server.endpoint(), dir.resolve("server/credentials"),
                BerthProcess.caBundle(dir.resolve("server")), dir.resolve("agent-" + name), arguments.toArray(String[]::new));
        agents.add(agent);
        await().atMost(SOON).alias(name + " connected").until(() ->
                instance(ecs, cluster, agent.containerInstanceArn()).agentConnected());
        return agent;
    }

    /** A container that exits 0 on SIGTERM, so stopping it takes no stop timeout. */
    private static void registerSleeper(String family) {
        ecs.registerTaskDefinition(r -> r.family(family).containerDefinitions(c -> c.name("sleeper")
                .image(io.berth.agent.TestImages.BUSYBOX).memory(16).essential(true).stopTimeout(2)
                .entryPoint("/bin/busybox", "sh", "-c")
                .command("trap 'exit 0' TERM; while true; do busybox sleep 1 & wait $!; done")));
    }

    private static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void twoAgentsShareAClusterAndOneDyingLeavesTheOtherWorking() {
        String cluster = uniqueName("pair");
        ecs.createCluster(r -> r.clusterName(cluster));
        BerthProcess first = agent(cluster, cluster + "-a", "--reserved-ports", "22,2375,2376,51678,51679,40001");
        BerthProcess second = agent(cluster, cluster + "-b", "--reserved-ports", "22,2375,2376,51678,51679,40002");
        assertThat(first.containerInstanceArn()).isNotEqualTo(second.containerInstanceArn());
        ContainerInstance firstInstance = instance(ecs, cluster, first.containerInstanceArn());
        assertThat(firstInstance.status()).isEqualTo("ACTIVE");
        assertThat(firstInstance.registeredResources()).filteredOn(r -> r.name().equals("PORTS")).singleElement()
                .satisfies(ports -> assertThat(ports.stringSetValue()).contains("40001").doesNotContain("40002"));
        registerSleeper("pair-sleeper");

        List<Task> tasks = ecs.runTask(r -> r.cluster(cluster).taskDefinition("pair-sleeper").count(2)
                .placementStrategy(s -> s.type(PlacementStrategyType.SPREAD).field("instanceId"))).tasks();

        assertThat(tasks).hasSize(2);
        assertThat(tasks.stream().map(Task::containerInstanceArn).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(first.containerInstanceArn(), second.containerInstanceArn());
        for (Task task : tasks) {
            awaitStatus(ecs, cluster, task.taskArn(), "RUNNING", SOON);
            assertThat(DockerHost.runningContainersOf(task.taskArn())).hasSize(1);
        }

        first.kill();

        await().atMost(SOON).alias("the killed agent reads as disconnected").until(() ->
                !instance(ecs, cluster, first.containerInstanceArn()).agentConnected());
        ContainerInstance survivor = instance(ecs, cluster, second.containerInstanceArn());
        assertThat(survivor.agentConnected()).isTrue();
        assertThat(instance(ecs, cluster, first.containerInstanceArn()).status()).isEqualTo("ACTIVE");
        // the placement engine does not skip disconnected instances yet, so the new task asks for a connected one
        Task later = ecs.runTask(r -> r.cluster(cluster).taskDefinition("pair-sleeper")
                .placementConstraints(c -> c.type("memberOf").expression("agentConnected == true"))).tasks().get(0);
        assertThat(later.containerInstanceArn()).isEqualTo(second.containerInstanceArn());
        awaitStatus(ecs, cluster, later.taskArn(), "RUNNING", SOON);
        ecs.stopTask(r -> r.cluster(cluster).task(later.taskArn()));
        Task stopped = awaitStatus(ecs, cluster, later.taskArn(), "STOPPED", SOON);
        assertThat(stopped.containers().get(0).exitCode()).isZero();
    }

    @Test
    void anAgentKilledAndStartedAgainAdoptsItsRunningTaskInsteadOfStartingItTwice() {
        String cluster = uniqueName("restart");
        ecs.createCluster(r -> r.clusterName(cluster));
        BerthProcess agent = agent(cluster, cluster);
        registerSleeper("restart-sleeper");
        String taskArn = ecs.runTask(r -> r.cluster(cluster).taskDefinition("restart-sleeper")).tasks().get(0).taskArn();
        awaitStatus(ecs, cluster, taskArn, "RUNNING", SOON);
        List<String> containers = DockerHost.containersOf(taskArn);
        assertThat(containers).hasSize(1);

        agent.kill();
        assertThat(DockerHost.runningContainersOf(taskArn)).as("the task outlives its agent").isEqualTo(containers);
        BerthProcess restarted = agent(cluster, cluster);

        assertThat(restarted.containerInstanceArn()).isEqualTo(agent.containerInstanceArn());
        // give the restarted engine time to act on the task it was sent again
        await().pollDelay(Duration.ofSeconds(3)).atMost(SOON).until(() -> true);
        assertThat(TaskWaits.describe(ecs, cluster, taskArn).lastStatus()).isEqualTo("RUNNING");
        assertThat(DockerHost.containersOf(taskArn)).as("still one copy, the same container").isEqualTo(containers);
        assertThat(DockerHost.runningContainersOf(taskArn)).isEqualTo(containers);

        ecs.stopTask(r -> r.cluster(cluster).task(taskArn));
        Task stopped = awaitStatus(ecs, cluster, taskArn, "STOPPED", SOON);
        assertThat(stopped.containers().get(0).exitCode()).isZero();
        assertThat(DockerHost.runningContainersOf(taskArn)).isEmpty();
        assertThat(Set.copyOf(DockerHost.containersOf(taskArn))).isEqualTo(Set.copyOf(containers));
    }
}
