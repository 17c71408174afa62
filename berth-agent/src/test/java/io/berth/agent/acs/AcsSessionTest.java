package io.berth.agent.acs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.agent.AcsFixtures;
import io.berth.model.acs.AckRequest;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.HeartbeatAckRequest;
import io.berth.model.acs.HeartbeatMessage;
import io.berth.model.acs.IAMRoleCredentialsAckRequest;
import io.berth.model.acs.IAMRoleCredentialsMessage;
import io.berth.model.acs.IamRoleCredentials;
import io.berth.model.acs.PayloadMessage;
import io.berth.model.acs.TaskIdentifier;
import io.berth.model.acs.TaskManifestMessage;
import io.berth.model.acs.TaskStopVerificationAck;
import io.berth.model.acs.TaskStopVerificationMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class AcsSessionTest {

    private static final String CLUSTER = "test";
    private static final String CLUSTER_ARN = "arn:aws:ecs:us-east-1:123456789012:cluster/test";
    private static final String INSTANCE_ARN = "arn:aws:ecs:us-east-1:123456789012:container-instance/test/0123";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private final RecordingTasks tasks = new RecordingTasks();
    private final TaskCredentials credentials = new TaskCredentials();
    private FakeAcs acs;
    private AcsSession session;

    @BeforeEach
    void connect() throws Exception {
        acs = new FakeAcs(SECRET);
        session = session(Duration.ofMinutes(1));
        session.start();
        await().atMost(Duration.ofSeconds(10)).until(acs::hasSession);
    }

    private AcsSession session(Duration idleTimeout) {
        AcsSettings settings = new AcsSettings(CLUSTER, INSTANCE_ARN, "us-east-1", "0.1.0", "berth", "20.10.24",
                idleTimeout, Duration.ofMinutes(30), Duration.ofMillis(50), Duration.ofMillis(200),
                Duration.ofHours(1));
        return new AcsSession(settings, acs::endpoint,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", SECRET)), tasks,
                credentials);
    }

    @AfterEach
    void close() throws Exception {
        session.close();
        acs.close();
    }

    private static AcsTask task(String arn, String desiredStatus) {
        return AcsFixtures.withDesiredStatus(AcsFixtures.task(arn, AcsFixtures.container("app", "true")),
                desiredStatus);
    }

    private static PayloadMessage payload(String messageId, int seqNum, AcsTask... tasks) {
        return new PayloadMessage(INSTANCE_ARN, CLUSTER_ARN, List.of(tasks), 1795613569L, messageId, seqNum, null);
    }

    @Test
    void anEndpointThatCannotBeReachedIsReportedSoThatTheNextConnectionAsksForANewOne() throws Exception {
        session.close();
        java.util.concurrent.atomic.AtomicInteger reported = new java.util.concurrent.atomic.AtomicInteger();
        String gone;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            gone = "http://127.0.0.1:" + closed.getLocalPort();
        }
        // The node that led is gone; asked again, the control plane names the node that leads now.
        SessionEndpoint moving = new SessionEndpoint() {
            @Override
            public String get() {
                return reported.get() == 0 ? gone : acs.endpoint();
            }

            @Override
            public void unreachable() {
                reported.incrementAndGet();
            }
        };
        AcsSettings settings = new AcsSettings(CLUSTER, INSTANCE_ARN, "us-east-1", "0.1.0", "berth", "20.10.24",
                Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofMillis(50), Duration.ofMillis(200),
                Duration.ofHours(1));
        int before = acs.upgrades().size();
        session = new AcsSession(settings, moving,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", SECRET)), tasks,
                credentials);
        session.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> acs.upgrades().size() > before);
        assertThat(reported.get()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theUpgradeIsSignedAndCarriesTheAgentsIdentity() {
        FakeAcs.Upgrade upgrade = acs.upgrades().getFirst();

        assertThat(upgrade.signatureValid()).isTrue();
        assertThat(upgrade.authorization())
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                .contains("/us-east-1/ecs/aws4_request")
                .contains("SignedHeaders=host;x-amz-date,");
        assertThat(upgrade.query()).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "agentHash", "berth",
                "agentVersion", "0.1.0",
                "clusterArn", CLUSTER,
                "containerInstanceArn", INSTANCE_ARN,
                "dockerVersion", "DockerVersion: 20.10.24",
                "protocolVersion", "2",
                "sendCredentials", "true",
                "seqNum", "1")));
    }

    @Test
    void aHeartbeatIsAcknowledgedWithItsMessageId() throws Exception {
        acs.send(new HeartbeatMessage(true, "hb-1"));

        assertThat(acs.next()).isEqualTo(new HeartbeatAckRequest("hb-1"));
    }

    @Test
    void aPayloadReachesTheEngineAndIsAcknowledged() throws Exception {
        String arn = AcsFixtures.taskArn(CLUSTER);

        acs.send(payload("pm-1", 1, task(arn, "RUNNING")));

        assertThat(acs.next()).isEqualTo(new AckRequest(CLUSTER_ARN, INSTANCE_ARN, "pm-1"));
        assertThat(tasks.desired()).containsEntry(arn, "RUNNING");
    }

    @Test
    void aPayloadWithATaskThatCannotBeLoadedIsNotAcknowledged() throws Exception {
        String good = AcsFixtures.taskArn(CLUSTER);
        String bad = AcsFixtures.taskArn(CLUSTER);

        acs.send(payload("pm-2", 2, task(good, "RUNNING"), task(bad, "PENDING")));
        acs.send(new HeartbeatMessage(true, "hb-2"));

        assertThat(acs.next()).isEqualTo(new HeartbeatAckRequest("hb-2"));
        assertThat(tasks.desired()).containsOnlyKeys(good);
    }

    @Test
    void credentialsInAPayloadAreKeptAndAcknowledged() throws Exception {
        IamRoleCredentials role = new IamRoleCredentials("cred-1", "arn:aws:iam::123456789012:role/app", "AKID",
                "SECRET", "TOKEN", "2030-01-01T00:00:00Z", null);
        AcsTask base = task(AcsFixtures.taskArn(CLUSTER), "RUNNING");
        AcsTask withRole = new AcsTask(base.arn(), null, base.containers(), "RUNNING", base.family(), null,
                base.version(), null, null, base.volumes(), role, null, null, null, null, null, null, null, null, null,
                null, null, null);

        acs.send(payload("pm-3", 3, withRole));

        assertThat(acs.next()).isEqualTo(new AckRequest(CLUSTER_ARN, INSTANCE_ARN, "pm-3"));
        assertThat(acs.next()).isEqualTo(new IAMRoleCredentialsAckRequest("pm-3", "2030-01-01T00:00:00Z", "cred-1"));
        assertThat(credentials.get("cred-1")).contains(role);
    }

    @Test
    void aTasksExecutionRoleCredentialsAreKeptBeforeTheTaskStarts() throws Exception {
        IamRoleCredentials execution = new IamRoleCredentials("exec-1", "arn:aws:iam::123456789012:role/exec",
                "AKIDEXEC", "SECRET", "TOKEN", "2030-01-01T00:00:00Z", null);
        AcsTask base = task(AcsFixtures.taskArn(CLUSTER), "RUNNING");
        List<Object> seenAtStart = new CopyOnWriteArrayList<>();
        tasks.whenApplied(t -> seenAtStart.add(credentials.get("exec-1")));

        acs.send(payload("pm-4", 4, base.withCredentials(null, execution)));

        assertThat(acs.next()).isEqualTo(new AckRequest(CLUSTER_ARN, INSTANCE_ARN, "pm-4"));
        assertThat(acs.next()).isEqualTo(new IAMRoleCredentialsAckRequest("pm-4", "2030-01-01T00:00:00Z", "exec-1"));
        assertThat(seenAtStart).containsExactly(Optional.of(execution));
    }

    @Test
    void refreshedCredentialsReplaceTheOldOnesAndAreAcknowledged() throws Exception {
        IamRoleCredentials refreshed = new IamRoleCredentials("cred-2", "arn:aws:iam::123456789012:role/app",
                "AKID2", "SECRET2", "TOKEN2", "2031-01-01T00:00:00Z", null);

        acs.send(new IAMRoleCredentialsMessage("arn:aws:ecs:us-east-1:123456789012:task/test/1", null, refreshed,
                "TaskApplication", "cm-1"));

        assertThat(acs.next()).isEqualTo(new IAMRoleCredentialsAckRequest("cm-1", "2031-01-01T00:00:00Z", "cred-2"));
        assertThat(credentials.get("cred-2")).contains(refreshed);
    }

    @Test
    void aManifestLeavingOutARunningTaskLeadsToAStopVerification() throws Exception {
        String kept = AcsFixtures.taskArn(CLUSTER);
        String dropped = AcsFixtures.taskArn(CLUSTER);
        acs.send(payload("pm-4", 4, task(kept, "RUNNING"), task(dropped, "RUNNING")));
        assertThat(acs.next()).isInstanceOf(AckRequest.class);

        acs.send(new TaskManifestMessage(INSTANCE_ARN, CLUSTER_ARN,
                List.of(new TaskIdentifier(kept, CLUSTER_ARN, "RUNNING")), 1795613570L, "tm-1", 5L));

        assertThat(acs.next()).isEqualTo(new AckRequest(CLUSTER_ARN, INSTANCE_ARN, "tm-1"));
        assertThat(acs.next()).isEqualTo(new TaskStopVerificationMessage("tm-1",
                List.of(new TaskIdentifier(dropped, null, "STOPPED"))));

        acs.send(new TaskStopVerificationAck(1795613571L, "other", List.of(new TaskIdentifier(kept, null, "STOPPED"))));
        acs.send(new TaskStopVerificationAck(1795613571L, "tm-1", List.of(new TaskIdentifier(dropped, null, "STOPPED"))));

        await().atMost(Duration.ofSeconds(5)).until(() -> tasks.stopped().contains(dropped));
        assertThat(tasks.stopped()).containsExactly(dropped);
    }

    @Test
    void aStaleManifestIsDiscarded() throws Exception {
        acs.send(payload("pm-5", 7, task(AcsFixtures.taskArn(CLUSTER), "RUNNING")));
        assertThat(acs.next()).isInstanceOf(AckRequest.class);

        acs.send(new TaskManifestMessage(INSTANCE_ARN, CLUSTER_ARN, List.of(), 1795613570L, "tm-stale", 7L));
        acs.send(new HeartbeatMessage(true, "hb-3"));

        assertThat(acs.next()).isEqualTo(new HeartbeatAckRequest("hb-3"));
    }

    @Test
    void aDroppedConnectionIsReopenedWithoutAskingForCredentialsAgain() {
        acs.dropConnection();

        await().atMost(Duration.ofSeconds(10)).until(() -> acs.upgrades().size() >= 2 && acs.hasSession());
        assertThat(acs.upgrades().get(1).query()).containsEntry("sendCredentials", "false");
        assertThat(acs.upgrades().get(1).signatureValid()).isTrue();
    }

    @Test
    void anInactiveInstanceRefusalMeansDeregisteredAndStopsTheRetries() throws Exception {
        acs.refuseWith("{\"type\":\"InactiveInstanceException\",\"message\":{\"message\":\"deregistered\"}}");

        acs.dropConnection();

        await().atMost(Duration.ofSeconds(10)).until(session::deregistered);
        int attempts = acs.upgrades().size();
        Thread.sleep(700);
        assertThat(acs.upgrades()).hasSize(attempts);
    }

    @Test
    void silenceFromTheServerMakesTheSessionReconnect() throws Exception {
        session.close();
        session = session(Duration.ofMillis(300));
        int before = acs.upgrades().size();
        session.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> acs.upgrades().size() >= before + 2);
    }
}
