package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.agent.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * {@code berth agent} in its own process on this host's Docker Engine, shipping an {@code awslogs} container's output
 * to the server's CloudWatch Logs API as the task execution role, is killed with SIGKILL while the container prints
 * 10,000 numbered lines and started again on the same data directory, while the container still prints or once it
 * has exited: every line reaches the stream, in order, and only the batch in flight at the kill may come twice.
 */
class AwslogsAgentKillTest {

    private static final String GROUP = "/berth/awslogs-kill";
    private static final String PREFIX = "counter";
    private static final String CONTAINER = "printer";
    private static final int LINES = 10_000;
    private static final int EXIT_CODE = 3;
    private static final Duration SOON = Duration.ofSeconds(90);
    private static final String TASKS_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String LOGS_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"logs:*\",\"Resource\":\"*\"}]}";
    /** After a second, 10,000 numbered lines, 50 at a time, a tenth of a second apart: about twenty seconds. */
    private static final String PRINT_NUMBERED_LINES = "busybox sleep 1; i=1; while [ $i -le " + LINES + " ]; do "
            + "echo \"line $i\"; if [ $((i % 50)) -eq 0 ]; then busybox sleep 0.1; fi; i=$((i+1)); done; "
            + "exit " + EXIT_CODE;

    @TempDir
    static Path dir;
    static RunningBerth berth;
    static EcsClient ecs;
    static CloudWatchLogsClient logs;
    static String executionRole;

    private final List<BerthProcess> agents = new ArrayList<>();

    @BeforeAll
    static void start() {
        DockerHost.requireDocker();
        berth = RunningBerth.start(dir.resolve("server"));
        ecs = berth.ecs();
        logs = LogsClients.of(berth);
        try (IamClient iam = berth.iam()) {
            executionRole = iam.createRole(r -> r.roleName("ecsTaskExecutionRole")
                    .assumeRolePolicyDocument(TASKS_TRUST)).role().arn();
            iam.putRolePolicy(r -> r.roleName("ecsTaskExecutionRole").policyName("logs").policyDocument(LOGS_POLICY));
        }
    }

    @AfterEach
    void killAgents() {
        agents.forEach(BerthProcess::kill);
        agents.clear();
    }

    @AfterAll
    static void stop() {
        if (berth != null) {
            DockerHost.removeContainersOfAccount(berth.accountId());
            logs.close();
            ecs.close();
            berth.close();
        }
    }

    /** Starts {@code berth agent} in cluster {@code cluster} on the data directory and waits until it is connected. */
    private BerthProcess agent(String cluster, Path dataDir) {
        BerthProcess agent = BerthProcess.agent(berth.endpoint(), dir.resolve("server/credentials"), berth.caBundle(), dataDir,
                "--cluster", cluster);
        agents.add(agent);
        await().atMost(SOON).alias("the agent connected").until(() ->
                TaskWaits.instance(ecs, cluster, agent.containerInstanceArn()).agentConnected());
        return agent;
    }

    private static String runPrinter(String cluster) {
        ecs.registerTaskDefinition(r -> r.family("numbered-lines").executionRoleArn(executionRole)
                .containerDefinitions(c -> c.name(CONTAINER).image(TestImages.BUSYBOX).memory(32).essential(true)
                        .entryPoint("/bin/busybox", "sh", "-c").command(PRINT_NUMBERED_LINES)
                        .logConfiguration(l -> l.logDriver(LogDriver.AWSLOGS).options(Map.of(
                                "awslogs-group", GROUP,
                                "awslogs-region", RunningBerth.REGION,
                                "awslogs-stream-prefix", PREFIX,
                                "awslogs-create-group", "true")))));
        return ecs.runTask(r -> r.cluster(cluster).taskDefinition("numbered-lines")).tasks().get(0).taskArn();
    }

    /** Every message of the stream from its head, paging forward until the token repeats; none before it exists. */
    private static List<String> messages(String stream) {
        List<String> messages = new ArrayList<>();
        String token = null;
        while (true) {
            String from = token;
            GetLogEventsResponse page;
            try {
                page = logs.getLogEvents(r -> r.logGroupName(GROUP).logStreamName(stream).startFromHead(true)
                        .nextToken(from));
            } catch (ResourceNotFoundException e) {
                return List.of();
            }
            page.events().forEach(event -> messages.add(event.message()));
            if (page.nextForwardToken().equals(from)) {
                return messages;
            }
            token = page.nextForwardToken();
        }
    }

    private static List<Integer> lineNumbers(List<String> messages) {
        return messages.stream().map(message -> {
            assertThat(message).matches("line \\d+");
            return Integer.parseInt(message.substring("line ".length()));
        }).toList();
    }

    @Test
    void everyLineOfAPrintingContainerReachesItsStreamAcrossASigkillOfTheAgent() {
        killTheAgentWhileTheContainerPrints("printing", false);
    }

    @Test
    void aContainerThatEndsWhileItsAgentIsDeadHasItsLastLinesShippedOnceTheAgentIsBack() {
        killTheAgentWhileTheContainerPrints("ended", true);
    }

    /**
     * Runs the printer on an agent of its own cluster, kills the agent once the stream has some lines, optionally
     * waits for the container to exit, starts the agent again on its data directory, and checks the stream.
     */
    private void killTheAgentWhileTheContainerPrints(String cluster, boolean restartAfterTheContainerExits) {
        ecs.createCluster(r -> r.clusterName(cluster));
        Path agentData = dir.resolve("agent-" + cluster);
        BerthProcess first = agent(cluster, agentData);
        long started = System.nanoTime();
        String taskArn = runPrinter(cluster);
        String stream = PREFIX + "/" + CONTAINER + "/" + taskArn.substring(taskArn.lastIndexOf('/') + 1);

        await().atMost(SOON).pollInterval(Duration.ofMillis(100)).alias("the first lines shipped")
                .until(() -> !messages(stream).isEmpty());
        first.kill();
        List<String> shippedBeforeTheKill = messages(stream);
        List<String> printingAfterTheKill = DockerHost.runningContainersOf(taskArn);

        assertThat(first.exitValue()).as("the agent process died of SIGKILL").isEqualTo(128 + 9);
        assertThat(shippedBeforeTheKill).as("lines shipped when the agent died").isNotEmpty().hasSizeLessThan(LINES);
        assertThat(printingAfterTheKill).as("the container still printing when its agent died").hasSize(1);
        if (restartAfterTheContainerExits) {
            await().atMost(SOON).pollInterval(Duration.ofMillis(250)).alias("the container exited")
                    .until(() -> DockerHost.runningContainersOf(taskArn).isEmpty());
        }

        long restarted = System.nanoTime();
        BerthProcess second = agent(cluster, agentData);
        assertThat(second.containerInstanceArn()).isEqualTo(first.containerInstanceArn());
        Task stopped = TaskWaits.awaitStatus(ecs, cluster, taskArn, "STOPPED", SOON);
        await().atMost(SOON).pollInterval(Duration.ofMillis(250)).alias("line " + LINES + " shipped")
                .until(() -> messages(stream).contains("line " + LINES));
        long done = System.nanoTime();
        List<Integer> numbers = lineNumbers(messages(stream));

        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(EXIT_CODE);
        assertThat(List.copyOf(new LinkedHashSet<>(numbers))).as("every line, in the order printed")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, LINES).boxed().toList());
        List<Integer> duplicated = duplicated(numbers);
        assertThat(duplicated).as("the lines sent twice: at most one batch, a run of consecutive lines")
                .isEqualTo(consecutiveFrom(duplicated.isEmpty() ? 1 : duplicated.get(0), duplicated.size()));
        assertThat(DockerHost.runningContainersOf(taskArn)).isEmpty();
        System.out.printf("AwslogsAgentKillTest (%s): agent pid %d killed with %d of %d lines shipped; after its "
                        + "restart all %d lines in %s in %d ms (%d ms from the task's start), %d sent twice%n",
                cluster, first.pid(), shippedBeforeTheKill.size(), LINES, LINES, stream,
                (done - restarted) / 1_000_000, (done - started) / 1_000_000, numbers.size() - LINES);
    }

    private static List<Integer> consecutiveFrom(int first, int count) {
        return IntStream.range(first, first + count).boxed().toList();
    }

    /** The line numbers that occur more than once, in order, each once. */
    private static List<Integer> duplicated(List<Integer> numbers) {
        int[] seen = new int[LINES + 1];
        numbers.forEach(number -> seen[number]++);
        assertThat(IntStream.of(seen).max().orElse(0)).as("no line more than twice").isLessThanOrEqualTo(2);
        return IntStream.rangeClosed(1, LINES).filter(number -> seen[number] > 1).boxed().toList();
    }
}
