package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.agent.Agent;
import io.berth.agent.AgentConfig;
import io.berth.agent.TestImages;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AccessDeniedException;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A task with a task role on this host's Docker Engine: its container fetches its credentials from
 * {@code 169.254.170.2}, as an AWS SDK in it would, and they are a session of the role from Berth's own STS, so
 * calls signed with them may do what the role's policy allows and nothing else. Needs Docker, root and iptables (Berth's agent routes that address to its endpoint); skips, saying
 * why, without them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TaskRoleOnDockerTest {

    private static final String CLUSTER = "roles-on-docker";
    private static final String CHAIN = "BERTH-TASK-CREDENTIALS";
    private static final String TASKS_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String LIST_CLUSTERS_ONLY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
            + "\"Allow\",\"Action\":\"ecs:ListClusters\",\"Resource\":\"*\"}]}";

    @TempDir
    static Path dir;
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

        berth = RunningBerth.start(dir.resolve("data"));
        ecs = berth.ecs();
        ecs.createCluster(r -> r.clusterName(CLUSTER));
        AgentConfig config = AgentConfig.of(CLUSTER, RunningBerth.REGION, URI.create(berth.endpoint()),
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(berth.key().accessKeyId(),
                                berth.key().secretAccessKey())), dir.resolve("agent"))
                .withMetadataEndpoint(new InetSocketAddress("127.0.0.1", DockerHost.freePort()),
                        AgentConfig.ECS_METADATA_URI)
                .withServerTrust(berth.trust());
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
    void aContainerOfATaskWithARoleFetchesASessionOfTheRoleThatMayDoWhatTheRoleAllows() throws Exception {
        ContainerInstance instance = ecs.describeContainerInstances(r -> r.cluster(CLUSTER)
                .containerInstances(agent.containerInstanceArn())).containerInstances().get(0);
        assertThat(instance.attributes()).extracting(Attribute::name)
                .as("the agent routed 169.254.170.2 to its endpoint and says it serves task roles")
                .contains("com.amazonaws.ecs.capability.task-iam-role");
        assertThat(iptables("-t", "nat", "-S")).contains("-N " + CHAIN);

        String role;
        try (IamClient iam = berth.iam()) {
            role = iam.createRole(r -> r.roleName("reader").assumeRolePolicyDocument(TASKS_TRUST)).role().arn();
            iam.putRolePolicy(r -> r.roleName("reader").policyName("list-clusters").policyDocument(LIST_CLUSTERS_ONLY));
        }
        Path out = Files.createDirectories(dir.resolve("out"));
        ecs.registerTaskDefinition(r -> r.family("fetches-credentials").taskRoleArn(role)
                .volumes(v -> v.name("out").host(h -> h.sourcePath(out.toString())))
                .containerDefinitions(c -> c.name("app").image(TestImages.BUSYBOX).memory(32).essential(true).stopTimeout(2)
                        .mountPoints(m -> m.sourceVolume("out").containerPath("/out"))
                        .command("/bin/busybox", "sh", "-c", "/bin/busybox wget -qO /out/partial "
                                + "http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
                                + " && /bin/busybox mv /out/partial /out/credentials.json; /bin/busybox sleep 300")));

        String taskArn = ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("fetches-credentials")).tasks().get(0)
                .taskArn();
        Path fetched = out.resolve("credentials.json");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> Files.exists(fetched));

        JsonNode credentials = new ObjectMapper().readTree(Files.readString(fetched));
        assertThat(credentials.path("RoleArn").asText()).isEqualTo(role);
        assertThat(credentials.path("AccessKeyId").asText()).startsWith("ASIA");
        assertThat(Instant.parse(credentials.path("Expiration").asText())).isAfter(Instant.now());
        String session = "arn:aws:sts::" + berth.accountId() + ":assumed-role/reader/"
                + taskArn.substring(taskArn.lastIndexOf('/') + 1);
        AwsSessionCredentials asTask = AwsSessionCredentials.create(credentials.path("AccessKeyId").asText(),
                credentials.path("SecretAccessKey").asText(), credentials.path("Token").asText());
        try (StsClient sts = berth.sts(asTask); EcsClient ecsAsTask = berth.ecs(asTask)) {
            assertThat(sts.getCallerIdentity().arn()).as("a session of the role named after the task")
                    .isEqualTo(session);
            assertThat(ecsAsTask.listClusters().clusterArns()).as("the role's policy allows ListClusters")
                    .contains(ecs.describeClusters(r -> r.clusters(CLUSTER)).clusters().get(0).clusterArn());
            assertThatThrownBy(() -> ecsAsTask.createCluster(r -> r.clusterName("made-by-a-task")))
                    .isInstanceOfSatisfying(AccessDeniedException.class, e -> assertThat(e.awsErrorDetails()
                            .errorMessage()).isEqualTo("User: " + session + " is not authorized to perform:"
                            + " ecs:CreateCluster on resource: arn:aws:ecs:" + RunningBerth.REGION + ":"
                            + berth.accountId() + ":cluster/made-by-a-task because no identity-based policy"
                            + " allows the ecs:CreateCluster action"));
        }

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
