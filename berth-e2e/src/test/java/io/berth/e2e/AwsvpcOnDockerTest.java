package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.agent.TestImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.Attachment;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * awsvpc and Fargate on this host's Docker Engine: the {@code awsvpc-fargate.sh} journey with the real {@code aws} CLI
 * against {@code berth all-in-one}, and an agent killed and started again while an awsvpc task runs, which keeps the
 * task, its network namespace and its address. Skipped without a Docker Engine (and the journey without the CLI).
 */
class AwsvpcOnDockerTest {

    private static final String NAME = "vpc-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Duration SOON = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path dir;

    @BeforeAll
    static void requireDocker() {
        DockerHost.requireDocker();
    }

    @AfterAll
    static void removeWhatRemains() throws Exception {
        // The agent keeps stopped containers for a while, as the ECS agent does; this class's go now.
        Commands.run(Map.of(), Duration.ofMinutes(1), "bash", "-c",
                "docker ps -aq --filter name=ecs-" + NAME + " | xargs -r docker rm -f");
    }

    @Test
    void fargateAndAwsvpcTaskDefinitionsRunWithTheAwsCliAndLeaveNothingBehind() throws Exception {
        Commands.assumeAwsCli("the awsvpc journey");
        Path data = dir.resolve("all-in-one");
        try (BerthProcess berth = BerthProcess.allInOne(data)) {
            Map<String, String> environment = new HashMap<>(Map.of(
                    "ENDPOINT", berth.endpoint(),
                    "AWS_CA_BUNDLE", BerthProcess.caBundle(data).toString(),
                    "CREDENTIALS", data.resolve("credentials").toString(),
                    "REGION", RunningBerth.REGION,
                    "IMAGE", TestImages.BUSYBOX,
                    "NAME", NAME));
            Commands.Result result = Commands.run(environment, Duration.ofMinutes(15), "bash",
                    Path.of("src/test/scripts", "awsvpc-fargate.sh").toString());
            System.out.println(result.output());
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("ok: the page its probe read through localhost = hello-" + NAME)
                    .endsWith("OK\n");
        }
    }

    @Test
    void anAgentKilledAndStartedAgainKeepsItsAwsvpcTaskAndTheTaskItsAddress() throws Exception {
        try (RunningBerth berth = RunningBerth.start(dir.resolve("server")); EcsClient ecs = berth.ecs()) {
            Path agentData = dir.resolve("agent");
            ecs.createCluster(r -> r.clusterName("vpc"));
            BerthProcess agent = startAgent(berth, ecs, agentData);
            ecs.registerTaskDefinition(r -> r.family(NAME + "-restart").networkMode(NetworkMode.AWSVPC)
                    .requiresCompatibilities(Compatibility.EC2)
                    .containerDefinitions(c -> c.name("web").image(TestImages.BUSYBOX).memory(32).essential(true)
                            .portMappings(p -> p.containerPort(8081))
                            .command("sh", "-c", "mkdir -p /www && echo restart-" + NAME
                                    + " > /www/index.html && exec httpd -f -p 8081 -h /www")));
            String taskArn = ecs.runTask(r -> r.cluster("vpc").taskDefinition(NAME + "-restart")
                    .launchType(LaunchType.EC2)
                    .networkConfiguration(n -> n.awsvpcConfiguration(v -> v.subnets("subnet-0e1f2a3b")
                            .securityGroups("sg-0e1f2a3b").assignPublicIp(AssignPublicIp.DISABLED))))
                    .tasks().get(0).taskArn();
            try {
                Task running = TaskWaits.awaitStatus(ecs, "vpc", taskArn, "RUNNING", SOON);
                String address = address(running);
                await().atMost(SOON).alias("the task's page at " + address)
                        .until(() -> page(address).equals("restart-" + NAME));
                List<String> containers = DockerHost.runningContainersOf(taskArn);

                agent.kill();
                agent = startAgent(berth, ecs, agentData);

                Task adopted = TaskWaits.describe(ecs, "vpc", taskArn);
                assertThat(adopted.lastStatus()).isEqualTo("RUNNING");
                assertThat(address(adopted)).isEqualTo(address);
                assertThat(page(address)).isEqualTo("restart-" + NAME);
                assertThat(DockerHost.runningContainersOf(taskArn)).containsExactlyInAnyOrderElementsOf(containers);

                ecs.stopTask(r -> r.cluster("vpc").task(taskArn));
                TaskWaits.awaitStatus(ecs, "vpc", taskArn, "STOPPED", SOON);
                await().atMost(SOON).alias("no running container of the stopped task")
                        .until(() -> DockerHost.runningContainersOf(taskArn).isEmpty());
                assertThat(page(address)).isEmpty();
            } finally {
                agent.kill();
                DockerHost.removeContainersOfAccount(berth.accountId());
            }
        }
    }

    private static BerthProcess startAgent(RunningBerth berth, EcsClient ecs, Path dataDir) {
        BerthProcess agent = BerthProcess.agent(berth.endpoint(), berth.dataDir().resolve("credentials"), berth.caBundle(), dataDir,
                "--cluster", "vpc");
        await().atMost(SOON).alias("the agent connected").until(() ->
                TaskWaits.instance(ecs, "vpc", agent.containerInstanceArn()).agentConnected());
        return agent;
    }

    /** The task's private address, from its ENI attachment. */
    private static String address(Task task) {
        Attachment eni = task.attachments().stream().filter(a -> a.type().equals("ElasticNetworkInterface"))
                .findFirst().orElseThrow();
        assertThat(eni.status()).isEqualTo("ATTACHED");
        return eni.details().stream().filter(d -> d.name().equals("privateIPv4Address")).map(KeyValuePair::value)
                .findFirst().orElseThrow();
    }

    /** What the address serves on 8081, or empty when nothing answers. */
    private static String page(String address) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + ":8081/"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return response.body().strip();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
