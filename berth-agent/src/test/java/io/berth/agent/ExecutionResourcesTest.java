package io.berth.agent;

import static io.berth.agent.AcsFixtures.container;
import static io.berth.agent.AcsFixtures.task;
import static io.berth.agent.AcsFixtures.taskArn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.agent.acs.TaskCredentials;
import io.berth.agent.engine.Checkpoint;
import io.berth.agent.engine.EcsLabels;
import io.berth.agent.engine.TaskEngine;
import io.berth.agent.logs.FakeLogs;
import io.berth.agent.logs.LogShipping;
import io.berth.agent.secrets.FakeSecrets;
import io.berth.agent.secrets.SecretResolver;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.IamRoleCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Tasks on the local Docker Engine with secrets from SSM and Secrets Manager and awslogs shipped to CloudWatch Logs,
 * both fetched and signed as the task execution role, against fake endpoints.
 */
class ExecutionResourcesTest {

    @RegisterExtension
    static final TestDocker DOCKER = TestDocker.forCluster("berth-exec");
    private static final String CLUSTER = DOCKER.cluster();
    private static final String GROUP = "/ecs/hooks";
    private static final IamRoleCredentials EXECUTION_ROLE = new IamRoleCredentials("exec-1",
            "arn:aws:iam::123456789012:role/ecsTaskExecutionRole", "ASIAEXECUTION", "execution-secret",
            "execution-token", "2030-01-01T00:00:00Z", null);
    private static final int LINES = 2_000;

    @TempDir
    Path data;
    private final RecordingReporter reporter = new RecordingReporter();
    private final TaskCredentials credentials = new TaskCredentials();
    private FakeLogs logs;
    private FakeSecrets secrets;
    private String databaseSecret;
    private LogShipping shipping;
    private TaskEngine engine;

    @BeforeEach
    void startServices() throws Exception {
        logs = new FakeLogs();
        secrets = new FakeSecrets();
        secrets.parameter("/app/token", "tok-123");
        databaseSecret = secrets.secret("us-east-1", "db", "{\"user\":\"app\",\"password\":\"pw-456\"}");
        credentials.put(EXECUTION_ROLE);
    }

    @AfterEach
    void stopEverything() throws Exception {
        stopAgent();
        logs.close();
        secrets.close();
    }

    /** What the agent runs: the engine with its execution resources, over the checkpoint in the data directory. */
    private void startAgent() {
        shipping = LogShipping.start(DOCKER.runtime(), data, logs.endpoint(), "us-east-1");
        ExecutionResources resources = new ExecutionResources(shipping, SecretResolver.of(secrets.endpoint(),
                "us-east-1"), credentials, StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDAGENT",
                "agent-secret")));
        engine = new TaskEngine(DOCKER.runtime(), reporter, Checkpoint.at(data.resolve("ecs_agent_data.json")),
                DOCKER.engineSettings().withTaskCleanupWait(Duration.ZERO), resources);
        engine.start();
    }

    private void stopAgent() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
        if (shipping != null) {
            shipping.close();
            shipping = null;
        }
    }

    private static String awslogs(String options) {
        return "{\"LogConfig\":{\"Type\":\"awslogs\",\"Config\":{" + options + "}}}";
    }

    private static final String SHIPPED = awslogs("\"awslogs-group\":\"" + GROUP + "\",\"awslogs-region\":\"us-east-1\","
            + "\"awslogs-stream-prefix\":\"ecs\",\"awslogs-create-group\":\"true\"");

    /** Prints its secrets, then numbered lines, and succeeds only when both secrets were given. */
    private AcsTask printingTask(String arn) {
        return task(arn, container("app", "echo \"first token=$API_TOKEN password=$DB_PASSWORD\"; i=1; "
                + "while [ $i -le " + LINES + " ]; do echo \"line $i\"; i=$((i+1)); done; "
                + "test \"$API_TOKEN\" = tok-123 && test \"$DB_PASSWORD\" = pw-456")
                .secret("API_TOKEN", "/app/token").secret("DB_PASSWORD", databaseSecret + ":password::")
                .hostConfig(SHIPPED)).withCredentials(null, EXECUTION_ROLE);
    }

    private static String stream(String arn) {
        return "ecs/app/" + arn.substring(arn.lastIndexOf('/') + 1);
    }

    private static List<String> expectedOutput() {
        List<String> lines = new ArrayList<>(List.of("first token=tok-123 password=pw-456"));
        IntStream.rangeClosed(1, LINES).forEach(i -> lines.add("line " + i));
        return lines;
    }

    @Test
    void aTaskGetsItsSecretsAndItsWholeOutputIsShippedBeforeItsContainersAreRemoved() throws Exception {
        logs.down(true);
        startAgent();
        String arn = taskArn(CLUSTER);

        engine.apply(printingTask(arn));
        reporter.await(arn, "STOPPED");
        int callsAtStop = logs.operations().size();
        await().atMost(Duration.ofSeconds(30)).until(() -> logs.operations().size() > callsAtStop + 1);

        assertThat(reporter.lastOf(arn, "app").exitCode()).isZero();
        assertThat(engine.task(arn)).isPresent();
        assertThat(DOCKER.runtime().listByLabel(EcsLabels.TASK_ARN, arn)).hasSize(1);
        logs.down(false);
        await().atMost(Duration.ofSeconds(60)).until(() -> engine.task(arn).isEmpty());
        assertThat(DOCKER.runtime().listByLabel(EcsLabels.TASK_ARN, arn)).isEmpty();
        assertThat(logs.messages(GROUP, stream(arn))).isEqualTo(expectedOutput());
        assertThat(logs.puts()).allSatisfy(put -> assertThat(put.authorization()).contains("Credential=ASIAEXECUTION/"));
        assertThat(secrets.calls()).allSatisfy(call -> assertThat(call.authorization())
                .contains("Credential=ASIAEXECUTION/"));
    }

    @Test
    void aTaskWithoutAnExecutionRoleShipsAsTheAgent() throws Exception {
        startAgent();
        String arn = taskArn(CLUSTER);

        engine.apply(task(arn, container("app", "echo hello signed by the agent").hostConfig(SHIPPED)));
        reporter.await(arn, "STOPPED");

        await().atMost(Duration.ofSeconds(30)).until(() -> engine.task(arn).isEmpty());
        assertThat(logs.messages(GROUP, stream(arn))).containsExactly("hello signed by the agent");
        assertThat(logs.puts()).singleElement().satisfies(put -> assertThat(put.authorization())
                .contains("Credential=AKIDAGENT/"));
    }

    @Test
    void aRestartedAgentShipsWhatItsContainersPrintedWhileShippingWasImpossible() throws Exception {
        logs.down(true);
        startAgent();
        String arn = taskArn(CLUSTER);
        engine.apply(printingTask(arn));
        reporter.await(arn, "STOPPED");

        stopAgent();
        logs.down(false);
        startAgent();

        await().atMost(Duration.ofSeconds(60)).until(() -> engine.task(arn).isEmpty());
        assertThat(logs.messages(GROUP, stream(arn))).isEqualTo(expectedOutput());
    }

    @Test
    void aMissingSecretStopsTheTaskWithEcsWordsAndNeverTheValues() throws Exception {
        startAgent();
        String arn = taskArn(CLUSTER);

        engine.apply(task(arn, container("app", "sleep 300").secret("API_TOKEN", "/app/token")
                .secret("MISSING", "/app/missing")).withCredentials(null, EXECUTION_ROLE));
        var stopped = reporter.await(arn, "STOPPED");

        assertThat(stopped.reason()).isEqualTo("ResourceInitializationError: unable to pull secrets or registry auth: "
                + "execution resource retrieval failed: unable to retrieve secrets from ssm: invalid ssm parameters: "
                + "/app/missing");
        assertThat(stopped.toString()).doesNotContain("tok-123");
        assertThat(DOCKER.runtime().listByLabel(EcsLabels.TASK_ARN, arn)).isEmpty();
    }

    @Test
    void secretsWithoutAnExecutionRoleStopTheTask() throws Exception {
        startAgent();
        String arn = taskArn(CLUSTER);

        engine.apply(task(arn, container("app", "sleep 300").secret("API_TOKEN", "/app/token")));
        var stopped = reporter.await(arn, "STOPPED");

        assertThat(stopped.reason()).isEqualTo("ResourceInitializationError: unable to pull secrets or registry auth: "
                + "execution resource retrieval failed: unable to find execution role credentials");
        assertThat(secrets.calls()).isEmpty();
    }

    @Test
    void theRegistryLoginIsFetchedBeforeThePullAndAMissingOneStopsTheTask() throws Exception {
        String login = secrets.secret("us-east-1", "registry", "{\"username\":\"puller\",\"password\":\"pull-pw\"}");
        startAgent();
        String pulled = taskArn(CLUSTER);
        String refused = taskArn(CLUSTER);

        engine.apply(task(pulled, container("app", "true").repositoryCredentials(login))
                .withCredentials(null, EXECUTION_ROLE));
        engine.apply(task(refused, container("app", "true").repositoryCredentials(login.replace("registry", "gone")))
                .withCredentials(null, EXECUTION_ROLE));
        reporter.await(pulled, "STOPPED");
        var stopped = reporter.await(refused, "STOPPED");

        assertThat(reporter.lastOf(pulled, "app").exitCode()).isZero();
        assertThat(secrets.calls()).anySatisfy(call -> assertThat(call.body().path("SecretId").asText())
                .isEqualTo(login));
        assertThat(stopped.reason()).startsWith("ResourceInitializationError: unable to pull secrets or registry auth: "
                + "execution resource retrieval failed: unable to retrieve secret from asm: ResourceNotFoundException");
        assertThat(DOCKER.runtime().listByLabel(EcsLabels.TASK_ARN, refused)).isEmpty();
    }

    @Test
    void awslogsOptionsDockerWouldRefuseFailTheContainerWithDockersWords() throws Exception {
        startAgent();
        String arn = taskArn(CLUSTER);

        engine.apply(task(arn, container("app", "true").hostConfig(awslogs("\"awslogs-region\":\"us-east-1\""))));
        var stopped = reporter.await(arn, "STOPPED");

        assertThat(stopped.reason()).isEqualTo("CannotCreateContainerError: must specify a value for log opt "
                + "'awslogs-group'");
        assertThat(DOCKER.runtime().listByLabel(EcsLabels.TASK_ARN, arn)).isEmpty();
    }
}
