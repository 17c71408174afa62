package io.berth.e2e;

import static io.berth.e2e.DockerHost.docker;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.agent.Agent;
import io.berth.agent.AgentConfig;
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
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * A task whose image is in a private registry that only a login kept in Berth's Secrets Manager opens: Berth's
 * agent, which has no login of its own for it, fetches the task definition's {@code repositoryCredentials} as the
 * task execution role and pulls with them.
 */
class RepositoryCredentialsOnDockerTest {

    private static final String CLUSTER = "registry-logins";
    private static final String TASKS_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    @TempDir
    static Path dir;
    static TestRegistry registry;
    static RunningBerth berth;
    static EcsClient ecs;
    static Agent agent;

    @BeforeAll
    static void start() throws Exception {
        registry = TestRegistry.withTestImage(Files.createDirectories(dir.resolve("registry")));
        berth = RunningBerth.start(dir.resolve("data"));
        ecs = berth.ecs();
        ecs.createCluster(r -> r.clusterName(CLUSTER));
        AgentConfig config = AgentConfig.of(CLUSTER, RunningBerth.REGION, URI.create(berth.endpoint()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(berth.key().accessKeyId(),
                        berth.key().secretAccessKey())), dir.resolve("agent"))
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
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void theImageIsPulledWithTheLoginTheExecutionRoleReadsFromSecretsManager() {
        assertThat(docker("images", "-q", registry.image())).as("no local copy before the task").isEmpty();
        String login;
        String role;
        try (var secrets = berth.secretsManager(); IamClient iam = berth.iam()) {
            login = secrets.createSecret(r -> r.name("registry-login").secretString("{\"username\":\""
                    + registry.user() + "\",\"password\":\"" + registry.password() + "\"}")).arn();
            role = iam.createRole(r -> r.roleName("puller").assumeRolePolicyDocument(TASKS_TRUST)).role().arn();
            iam.putRolePolicy(r -> r.roleName("puller").policyName("login").policyDocument("{\"Version\":"
                    + "\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\","
                    + "\"Resource\":\"" + login + "\"}]}"));
        }
        ecs.registerTaskDefinition(r -> r.family("private-image").executionRoleArn(role)
                .containerDefinitions(c -> c.name("app").image(registry.image()).memory(32).essential(true)
                        .repositoryCredentials(credentials -> credentials.credentialsParameter(login))
                        .command("/bin/busybox", "true")));

        String taskArn = ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("private-image")).tasks().get(0)
                .taskArn();

        Task stopped = TaskWaits.awaitStatus(ecs, CLUSTER, taskArn, "STOPPED", Duration.ofSeconds(90));
        assertThat(stopped.stoppedReason()).isEqualTo("Essential container in task exited");
        assertThat(stopped.containers().get(0).exitCode()).isZero();
        assertThat(docker("images", "-q", registry.image())).as("the agent pulled the image").isNotEmpty();
    }
}
