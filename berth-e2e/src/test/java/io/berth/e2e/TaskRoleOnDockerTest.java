package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.agent.Agent;
import io.berth.agent.AgentConfig;
import io.berth.agent.TestImages;
import io.berth.control.iam.SessionCredentials;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/**
 * A task with a task role on this host's Docker Engine: its container fetches its credentials from
 * {@code 169.254.170.2}, as an AWS SDK in it would, and they are the ones the control plane issued.
 * Needs Docker, root and iptables (Berth's agent routes that address to its endpoint); skips, saying
 * why, without them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TaskRoleOnDockerTest {

    private static final String CLUSTER = "roles-on-docker";
    private static final String CHAIN = "BERTH-TASK-CREDENTIALS";

    @TempDir
    static Path dir;
    static TestRoleSessions roleSessions = new TestRoleSessions(Duration.ofHours(1));
    static RunningBerth berth;
    static EcsClient ecs;
    static Agent agent;

    @BeforeAll
    static void start() throws Exception {
        DockerHost.requireDocker();
        String missing = !"root".equals(System.getProperty("user.name")) ? "the tests do not run as root"
                : List.of("/usr/sbin/iptables", "/sbin/iptables").stream().noneMatch(p -> Files.isExecutable(Path.of(p)))
                        ? "iptables is not installed" : null;
        if (missing != null) {
            System.out.println("Skipping the task role test on Docker: " + missing + ".");
        }
        Assumptions.assumeTrue(missing == null, missing);

        berth = RunningBerth.start(dir.resolve("data"), roleSessions);
        ecs = berth.ecs();
        ecs.createCluster(r -> r.clusterName(CLUSTER));
        AgentConfig config = AgentConfig.of(CLUSTER, RunningBerth.REGION, URI.create(berth.endpoint()),
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(berth.key().accessKeyId(),
                                berth.key().secretAccessKey())), dir.resolve("agent"))
                .withMetadataEndpoint(new InetSocketAddress("127.0.0.1", DockerHost.freePort()),
                        AgentConfig.ECS_METADATA_URI);
        agent = Agent.start(config);
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        if (berth != null) {
            DockerHost.removeContainersOfAccount(berth.accountId());
            ecs.close();
            berth.close();
        }
    }

    @Test
    @Order(1)
    void aContainerOfATaskWithARoleFetchesTheIssuedCredentialsFromTheEcsAddress() throws Exception {
        ContainerInstance instance = ecs.describeContainerInstances(r -> r.cluster(CLUSTER)
                .containerInstances(agent.containerInstanceArn())).containerInstances().get(0);
        assertThat(instance.attributes()).extracting(Attribute::name)
                .as("the agent routed 169.254.170.2 to its endpoint and says it serves task roles")
                .contains("com.amazonaws.ecs.capability.task-iam-role");
        assertThat(iptables("-t", "nat", "-S")).contains("-N " + CHAIN);

        Path out = Files.createDirectories(dir.resolve("out"));
        String role = "arn:aws:iam::" + berth.accountId() + ":role/reader";
        ecs.registerTaskDefinition(r -> r.family("fetches-credentials").taskRoleArn(role)
                .volumes(v -> v.name("out").host(h -> h.sourcePath(out.toString())))
                .containerDefinitions(c -> c.name("app").image(TestImages.BUSYBOX).memory(32).essential(true)
                        .mountPoints(m -> m.sourceVolume("out").containerPath("/out"))
                        .command("/bin/busybox", "sh", "-c", "/bin/busybox wget -qO /out/partial "
                                + "http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
                                + " && /bin/busybox mv /out/partial /out/credentials.json; /bin/busybox sleep 300")));

        String taskArn = ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("fetches-credentials")).tasks().get(0)
                .taskArn();
        Path fetched = out.resolve("credentials.json");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> Files.exists(fetched));

        JsonNode credentials = new ObjectMapper().readTree(Files.readString(fetched));
        SessionCredentials issued = roleSessions.issuedFor(taskArn).get(0);
        assertThat(credentials.path("RoleArn").asText()).isEqualTo(role);
        assertThat(credentials.path("AccessKeyId").asText()).isEqualTo(issued.accessKeyId());
        assertThat(credentials.path("SecretAccessKey").asText()).isEqualTo(issued.secretAccessKey());
        assertThat(credentials.path("Token").asText()).isEqualTo(issued.sessionToken());
        assertThat(Instant.parse(credentials.path("Expiration").asText()))
                .isEqualTo(issued.expiration().truncatedTo(ChronoUnit.SECONDS));

        ecs.stopTask(r -> r.cluster(CLUSTER).task(taskArn));
    }

    @Test
    @Order(2)
    void theAgentRemovesItsRulesWhenItStopsAndLeavesDockersAlone() throws Exception {
        String before = iptables("-t", "nat", "-S");

        agent.close();
        agent = null;

        String after = iptables("-t", "nat", "-S");
        assertThat(before).contains(CHAIN);
        assertThat(after).doesNotContain(CHAIN);
        assertThat(iptables("-t", "filter", "-S")).doesNotContain(CHAIN);
        assertThat(after).as("Docker's rules stay").contains("-N DOCKER");
    }

    private static String iptables(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", "5"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }
}
