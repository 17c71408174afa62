package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.agent.Agent;
import io.berth.agent.AgentConfig;
import io.berth.agent.TestImages;
import io.berth.agent.engine.ImagePullBehavior;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Tasks whose containers take secrets from Berth's own Parameter Store and Secrets Manager, run by Berth's agent on
 * this host's Docker Engine: the agent fetches them as the task execution role the control plane assumed for the
 * task, and a secret the role cannot have stops the task with ECS's words.
 */
class SecretsOnDockerTest {

    private static final String CLUSTER = "secrets-on-docker";
    private static final String TASKS_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String TOKEN = "tok-" + System.nanoTime();
    private static final String PASSWORD = "pw-" + System.nanoTime();

    @TempDir
    static Path dir;
    static RunningBerth berth;
    static EcsClient ecs;
    static Agent agent;
    static String executionRole;
    static String databaseSecret;

    @BeforeAll
    static void start() throws Exception {
        DockerHost.requireDocker();
        berth = RunningBerth.start(dir.resolve("data"));
        ecs = berth.ecs();
        ecs.createCluster(r -> r.clusterName(CLUSTER));
        try (var ssm = berth.ssm(); var secrets = berth.secretsManager(); IamClient iam = berth.iam()) {
            ssm.putParameter(r -> r.name("/app/token").type("SecureString").value(TOKEN));
            ssm.putParameter(r -> r.name("/private/token").type("SecureString").value("not-for-tasks"));
            databaseSecret = secrets.createSecret(r -> r.name("app/db")
                    .secretString("{\"user\":\"app\",\"password\":\"" + PASSWORD + "\"}")).arn();
            executionRole = iam.createRole(r -> r.roleName("ecsTaskExecutionRole")
                    .assumeRolePolicyDocument(TASKS_TRUST)).role().arn();
            String policy = "{\"Version\":\"2012-10-17\",\"Statement\":["
                    + "{\"Effect\":\"Allow\",\"Action\":\"ssm:GetParameters\",\"Resource\":\"arn:aws:ssm:"
                    + RunningBerth.REGION + ":" + berth.accountId() + ":parameter/app/*\"},"
                    + "{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\""
                    + databaseSecret + "\"}]}";
            iam.putRolePolicy(r -> r.roleName("ecsTaskExecutionRole").policyName("secrets").policyDocument(policy));
        }
        AgentConfig config = AgentConfig.of(CLUSTER, RunningBerth.REGION, URI.create(berth.endpoint()),
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(berth.key().accessKeyId(),
                                berth.key().secretAccessKey())), dir.resolve("agent"))
                .withImagePullBehavior(ImagePullBehavior.PREFER_CACHED)
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

    /** Registers a family whose container writes {@code $API_TOKEN $DB_PASSWORD} to {@code /out/env} and exits. */
    private static String register(String family, Path out, Secret... secrets) {
        ecs.registerTaskDefinition(r -> r.family(family).executionRoleArn(executionRole)
                .volumes(v -> v.name("out").host(h -> h.sourcePath(out.toString())))
                .containerDefinitions(c -> c.name("app").image(TestImages.BUSYBOX).memory(32).essential(true)
                        .secrets(secrets)
                        .mountPoints(m -> m.sourceVolume("out").containerPath("/out"))
                        .command("/bin/busybox", "sh", "-c", "echo \"$API_TOKEN $DB_PASSWORD\" > /out/env")));
        return ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition(family)).tasks().get(0).taskArn();
    }

    private static Secret secret(String name, String valueFrom) {
        return Secret.builder().name(name).valueFrom(valueFrom).build();
    }

    @Test
    void aContainerGetsAParameterAndASecretsJsonKeyAsEnvironmentVariables() throws Exception {
        assertThat(TaskWaits.instance(ecs, CLUSTER, agent.containerInstanceArn()).attributes())
                .extracting(Attribute::name).contains("ecs.capability.secrets.ssm.environment-variables",
                        "ecs.capability.secrets.asm.environment-variables");
        Path out = Files.createDirectories(dir.resolve("resolved"));

        String taskArn = register("with-secrets", out, secret("API_TOKEN", "/app/token"),
                secret("DB_PASSWORD", databaseSecret + ":password::"));

        Task stopped = TaskWaits.awaitStatus(ecs, CLUSTER, taskArn, "STOPPED", Duration.ofSeconds(90));
        assertThat(stopped.containers().get(0).exitCode()).isZero();
        assertThat(Files.readString(out.resolve("env")).strip()).isEqualTo(TOKEN + " " + PASSWORD);
    }

    @Test
    void aMissingParameterStopsTheTaskWithEcsWordsBeforeItsContainerExists() throws Exception {
        Path out = Files.createDirectories(dir.resolve("missing"));

        String taskArn = register("with-a-missing-secret", out, secret("API_TOKEN", "/app/token"),
                secret("DB_PASSWORD", "/app/missing"));

        Task stopped = TaskWaits.awaitStatus(ecs, CLUSTER, taskArn, "STOPPED", Duration.ofSeconds(90));
        assertThat(stopped.stoppedReason()).isEqualTo("ResourceInitializationError: unable to pull secrets or "
                + "registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: "
                + "invalid ssm parameters: /app/missing");
        assertThat(stopped.toString()).doesNotContain(TOKEN);
        assertThat(DockerHost.containersOf(taskArn)).isEmpty();
        assertThat(out.resolve("env")).doesNotExist();
    }

    @Test
    void aSecretTheExecutionRoleMayNotReadStopsTheTaskWithTheDenial() throws Exception {
        Path out = Files.createDirectories(dir.resolve("denied"));

        String taskArn = register("with-a-denied-secret", out, secret("API_TOKEN", "/private/token"));

        Task stopped = TaskWaits.awaitStatus(ecs, CLUSTER, taskArn, "STOPPED", Duration.ofSeconds(90));
        assertThat(stopped.stoppedReason()).startsWith("ResourceInitializationError: unable to pull secrets or "
                + "registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: "
                + "AccessDeniedException: ").contains("ssm:GetParameters").doesNotContain("not-for-tasks");
        assertThat(DockerHost.containersOf(taskArn)).isEmpty();
    }
}
