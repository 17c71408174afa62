package io.berth.e2e;

import static io.berth.e2e.TaskWaits.awaitStatus;
import static io.berth.e2e.TaskWaits.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.agent.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AccessDeniedException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * {@code berth agent} on this host's Docker Engine signing with the key of a user who holds only the
 * container-instance policy of the IAM walkthrough: it registers, holds its ACS session and runs the tasks the
 * account's root starts, while the same key may not run tasks or list clusters; a key without any policy cannot
 * register at all.
 */
class RestrictedAgentKeyOnDockerTest {

    /** The container-instance permissions of {@code iam-journey.sh}, verbatim. */
    private static final String CONTAINER_INSTANCE_POLICY = """
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": [
                    "ecs:CreateCluster",
                    "ecs:DeregisterContainerInstance",
                    "ecs:DiscoverPollEndpoint",
                    "ecs:Poll",
                    "ecs:RegisterContainerInstance",
                    "ecs:StartTelemetrySession",
                    "ecs:Submit*",
                    "ecs:UpdateContainerInstancesState",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents"
                  ],
                  "Resource": "*"
                }
              ]
            }""";
    private static final String AGENT_USER = "ecs-agent";
    private static final String POWERLESS_USER = "no-policies";
    private static final Duration SOON = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static RunningBerth berth;
    static EcsClient ecs;
    static IamClient iam;
    static AwsBasicCredentials agentKey;
    static Path agentCredentials;

    private final List<BerthProcess> agents = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        DockerHost.requireDocker();
        berth = RunningBerth.start(dir.resolve("server"));
        ecs = berth.ecs();
        iam = berth.iam();
        iam.createUser(r -> r.userName(AGENT_USER));
        iam.putUserPolicy(r -> r.userName(AGENT_USER).policyName("ecs-container-instance")
                .policyDocument(CONTAINER_INSTANCE_POLICY));
        AccessKey key = iam.createAccessKey(r -> r.userName(AGENT_USER)).accessKey();
        agentKey = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
        agentCredentials = credentialsFile("agent-credentials", key);
    }

    @AfterEach
    void killAgents() {
        agents.forEach(BerthProcess::kill);
    }

    @AfterAll
    static void stop() {
        if (berth != null) {
            DockerHost.removeContainersOfAccount(berth.accountId());
            iam.close();
            ecs.close();
            berth.close();
        }
    }

    private static Path credentialsFile(String name, AccessKey key) throws IOException {
        return Files.writeString(dir.resolve(name), "[default]\naws_access_key_id = " + key.accessKeyId()
                + "\naws_secret_access_key = " + key.secretAccessKey() + "\n");
    }

    private BerthProcess agent(String cluster, Path credentials) {
        BerthProcess agent = BerthProcess.agent(berth.endpoint(), credentials, berth.caBundle(), dir.resolve("agent-" + cluster),
                "--cluster", cluster);
        agents.add(agent);
        return agent;
    }

    private static String userArn(String user) {
        return "arn:aws:iam::" + berth.accountId() + ":user/" + user;
    }

    @Test
    void anAgentWithOnlyTheContainerInstancePolicyRegistersConnectsAndRunsTheTasksRootStarts() {
        ecs.createCluster(r -> r.clusterName("restricted"));

        BerthProcess agent = agent("restricted", agentCredentials);

        await().atMost(SOON).alias("the agent's ACS session connected").until(() ->
                instance(ecs, "restricted", agent.containerInstanceArn()).agentConnected());
        ContainerInstance registered = instance(ecs, "restricted", agent.containerInstanceArn());
        assertThat(registered.status()).isEqualTo("ACTIVE");
        ecs.registerTaskDefinition(r -> r.family("restricted-sleeper").containerDefinitions(c -> c.name("sleeper")
                .image(TestImages.BUSYBOX).memory(16).essential(true).stopTimeout(2)
                .entryPoint("/bin/busybox", "sh", "-c")
                .command("trap 'exit 0' TERM; while true; do busybox sleep 1 & wait $!; done")));
        String taskArn = ecs.runTask(r -> r.cluster("restricted").taskDefinition("restricted-sleeper")).tasks().get(0)
                .taskArn();

        awaitStatus(ecs, "restricted", taskArn, "RUNNING", SOON);
        assertThat(DockerHost.runningContainersOf(taskArn)).as("reported with SubmitTaskStateChange").hasSize(1);
        ecs.stopTask(r -> r.cluster("restricted").task(taskArn));
        Task stopped = awaitStatus(ecs, "restricted", taskArn, "STOPPED", SOON);
        assertThat(stopped.containers().get(0).exitCode()).isZero();
        assertThat(DockerHost.runningContainersOf(taskArn)).isEmpty();
        assertThat(agent.output()).doesNotContain("AccessDenied");
    }

    @Test
    void theContainerInstanceKeyMayNeitherRunTasksNorListClusters() {
        ecs.createCluster(r -> r.clusterName("not-for-agents"));
        ecs.registerTaskDefinition(r -> r.family("agents-may-not-run").containerDefinitions(c -> c.name("app")
                .image(TestImages.BUSYBOX).memory(16)));

        try (EcsClient asAgent = berth.ecs(agentKey)) {
            assertThatThrownBy(() -> asAgent.runTask(r -> r.cluster("not-for-agents")
                    .taskDefinition("agents-may-not-run:1")))
                    .isInstanceOfSatisfying(AccessDeniedException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: " + userArn(AGENT_USER)
                                + " is not authorized to perform: ecs:RunTask on resource: arn:aws:ecs:"
                                + RunningBerth.REGION + ":" + berth.accountId()
                                + ":task-definition/agents-may-not-run:1 because no identity-based policy allows the"
                                + " ecs:RunTask action");
                    });
            // a family without revision is authorized as the revision it would run
            assertThatThrownBy(() -> asAgent.runTask(r -> r.cluster("not-for-agents")
                    .taskDefinition("agents-may-not-run")))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("ecs:RunTask on resource: arn:aws:ecs:" + RunningBerth.REGION + ":"
                            + berth.accountId() + ":task-definition/agents-may-not-run:1 because");
            assertThatThrownBy(asAgent::listClusters)
                    .isInstanceOfSatisfying(AccessDeniedException.class, e -> assertThat(e.awsErrorDetails()
                            .errorMessage()).isEqualTo("User: " + userArn(AGENT_USER)
                            + " is not authorized to perform: ecs:ListClusters on resource: * because no"
                            + " identity-based policy allows the ecs:ListClusters action"));
        }
        assertThat(ecs.listTasks(r -> r.cluster("not-for-agents")).taskArns()).isEmpty();
    }

    @Test
    void anAgentWhoseKeyHoldsNoPolicyCannotRegister() throws IOException {
        ecs.createCluster(r -> r.clusterName("closed"));
        iam.createUser(r -> r.userName(POWERLESS_USER));
        Path credentials = credentialsFile("powerless-credentials",
                iam.createAccessKey(r -> r.userName(POWERLESS_USER)).accessKey());

        assertThatThrownBy(() -> agent("closed", credentials))
                .as("the agent exits instead of joining")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("berth exited with")
                .hasMessageContaining("AccessDeniedException")
                .hasMessageContaining("User: " + userArn(POWERLESS_USER)
                        + " is not authorized to perform: ecs:RegisterContainerInstance on resource: arn:aws:ecs:"
                        + RunningBerth.REGION + ":" + berth.accountId() + ":cluster/closed");
        assertThat(ecs.listContainerInstances(r -> r.cluster("closed")).containerInstanceArns()).isEmpty();
    }
}
