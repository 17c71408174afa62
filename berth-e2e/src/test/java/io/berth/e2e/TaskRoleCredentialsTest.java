package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.control.iam.SessionCredentials;
import io.berth.model.acs.AckRequest;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.IAMRoleCredentialsAckRequest;
import io.berth.model.acs.IAMRoleCredentialsMessage;
import io.berth.model.acs.IamRoleCredentials;
import io.berth.model.acs.PayloadMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/** Task roles over the agent's websocket: credentials in the payload, refreshed before they expire. */
class TaskRoleCredentialsTest {

    /** Short enough that a refresh comes within the test: at half the lifetime. */
    private static final Duration LIFETIME = Duration.ofSeconds(10);

    @TempDir
    static Path dataDir;
    static TestRoleSessions roleSessions = new TestRoleSessions(LIFETIME);
    static RunningBerth berth;
    static EcsClient ecs;

    @BeforeAll
    static void startBerth() {
        berth = RunningBerth.start(dataDir, roleSessions);
        ecs = berth.ecs();
    }

    @AfterAll
    static void stopBerth() {
        ecs.close();
        berth.close();
    }

    private String role(String name) {
        return "arn:aws:iam::" + berth.accountId() + ":role/" + name;
    }

    private void registerFamily(String family, String taskRole, String executionRole) {
        ecs.registerTaskDefinition(r -> r.family(family).taskRoleArn(taskRole).executionRoleArn(executionRole)
                .containerDefinitions(c -> c.name("app").image("berth-test/busybox").memory(32)));
    }

    private static Map<String, String> query(String cluster, ContainerInstance instance, boolean sendCredentials) {
        Map<String, String> query = new TreeMap<>(AgentSocket.acsQuery(cluster, instance.containerInstanceArn()));
        query.put("sendCredentials", Boolean.toString(sendCredentials));
        return query;
    }

    @Test
    void theAgentGetsTheCredentialsInThePayloadAndFreshOnesBeforeTheyExpire() throws Exception {
        ecs.createCluster(r -> r.clusterName("roles"));
        ContainerInstance instance = Instances.registerWithTaskRoles(ecs, "roles");
        registerFamily("with-roles", role("app"), role("exec"));

        try (AgentSocket socket = AgentSocket.open(berth.endpoint(), berth.key(), RunningBerth.REGION,
                query("roles", instance, false))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> berth.server().agentSessions()
                    .isConnected(instance.containerInstanceArn()));
            String taskArn = ecs.runTask(r -> r.cluster("roles").taskDefinition("with-roles")).tasks().get(0).taskArn();

            PayloadMessage payload = socket.next(PayloadMessage.class, Duration.ofSeconds(10));
            AcsTask task = payload.tasks().get(0);
            assertThat(task.arn()).isEqualTo(taskArn);
            IamRoleCredentials role = task.roleCredentials();
            SessionCredentials issued = roleSessions.issuedFor(taskArn).stream()
                    .filter(c -> c.roleArn().equals(role("app"))).findFirst().orElseThrow();
            assertThat(role.roleArn()).isEqualTo(role("app"));
            assertThat(role.accessKeyId()).isEqualTo(issued.accessKeyId());
            assertThat(role.secretAccessKey()).isEqualTo(issued.secretAccessKey());
            assertThat(role.sessionToken()).isEqualTo(issued.sessionToken());
            assertThat(Instant.parse(role.expiration())).isEqualTo(issued.expiration().truncatedTo(
                    java.time.temporal.ChronoUnit.SECONDS));
            assertThat(task.executionRoleCredentials().roleArn()).isEqualTo(role("exec"));
            assertThat(task.executionRoleCredentials().credentialsId()).isNotEqualTo(role.credentialsId());
            socket.send(new AckRequest("roles", instance.containerInstanceArn(), payload.messageId()));
            socket.send(new IAMRoleCredentialsAckRequest(payload.messageId(), role.expiration(), role.credentialsId()));

            IAMRoleCredentialsMessage refresh = socket.next(IAMRoleCredentialsMessage.class, LIFETIME);
            Instant received = Instant.now();

            assertThat(refresh).as("a refresh before the credentials expire").isNotNull();
            assertThat(received).isBefore(Instant.parse(role.expiration()));
            assertThat(refresh.taskArn()).isEqualTo(taskArn);
            assertThat(refresh.taskClusterArn()).endsWith(":cluster/roles");
            IamRoleCredentials fresh = refresh.roleCredentials();
            String expectedId = refresh.roleType().equals("TaskApplication") ? role.credentialsId()
                    : task.executionRoleCredentials().credentialsId();
            assertThat(fresh.credentialsId()).isEqualTo(expectedId);
            assertThat(fresh.accessKeyId()).isNotEqualTo(role.accessKeyId())
                    .isNotEqualTo(task.executionRoleCredentials().accessKeyId());
            assertThat(Instant.parse(fresh.expiration())).isAfter(Instant.parse(role.expiration()));
            socket.send(new IAMRoleCredentialsAckRequest(refresh.messageId(), fresh.expiration(),
                    fresh.credentialsId()));
        }
    }

    @Test
    void anAgentThatJustStartedIsSentTheCredentialsOfItsRunningTasks() throws Exception {
        ecs.createCluster(r -> r.clusterName("restart"));
        ContainerInstance instance = Instances.registerWithTaskRoles(ecs, "restart");
        registerFamily("app-role", role("app"), null);
        String taskArn = ecs.runTask(r -> r.cluster("restart").taskDefinition("app-role")).tasks().get(0).taskArn();

        try (AgentSocket socket = AgentSocket.open(berth.endpoint(), berth.key(), RunningBerth.REGION,
                query("restart", instance, true))) {
            IAMRoleCredentialsMessage message = socket.next(IAMRoleCredentialsMessage.class, Duration.ofSeconds(3));

            assertThat(message).isNotNull();
            assertThat(message.taskArn()).isEqualTo(taskArn);
            assertThat(message.roleType()).isEqualTo("TaskApplication");
            assertThat(message.roleCredentials().roleArn()).isEqualTo(role("app"));
        }
    }

    @Test
    void aReconnectingAgentGetsItsTasksWithTheirCredentials() throws Exception {
        ecs.createCluster(r -> r.clusterName("reconnect"));
        ContainerInstance instance = Instances.registerWithTaskRoles(ecs, "reconnect");
        registerFamily("reconnect-role", role("app"), null);
        String taskArn = ecs.runTask(r -> r.cluster("reconnect").taskDefinition("reconnect-role")).tasks().get(0)
                .taskArn();

        try (AgentSocket socket = AgentSocket.open(berth.endpoint(), berth.key(), RunningBerth.REGION,
                query("reconnect", instance, false))) {
            PayloadMessage payload = socket.next(PayloadMessage.class, Duration.ofSeconds(10));
            assertThat(payload.tasks()).singleElement().satisfies(t -> {
                assertThat(t.arn()).isEqualTo(taskArn);
                assertThat(t.roleCredentials().roleArn()).isEqualTo(role("app"));
            });
        }
    }

    @Test
    void runTaskWithARoleThatCannotBeAssumedIsRefusedAsEcsRefusesIt() {
        ecs.createCluster(r -> r.clusterName("untrusted"));
        Instances.registerWithTaskRoles(ecs, "untrusted");
        registerFamily("untrusted-role", role("untrusted-app"), null);

        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("untrusted").taskDefinition("untrusted-role")))
                .isInstanceOf(ClientException.class)
                .hasMessageStartingWith("ECS was unable to assume the role '" + role("untrusted-app")
                        + "' that was provided for this task. Please verify that the role being passed has the proper "
                        + "trust relationship and permissions and that your IAM user has permissions to pass this role.");
        assertThat(ecs.listTasks(r -> r.cluster("untrusted")).taskArns()).isEmpty();
    }

    @Test
    void anOverrideRoleThatCannotBeAssumedIsRefusedToo() {
        ecs.createCluster(r -> r.clusterName("override"));
        Instances.registerWithTaskRoles(ecs, "override");
        registerFamily("override-role", role("app"), null);

        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("override").taskDefinition("override-role")
                .overrides(o -> o.taskRoleArn(role("untrusted-other")))))
                .isInstanceOf(ClientException.class)
                .hasMessageContaining(role("untrusted-other"));
    }
}
