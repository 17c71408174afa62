package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import io.berth.model.acs.AckRequest;
import io.berth.model.acs.PayloadMessage;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/** The agents' websocket: who may open it and what it does to the instance's state. */
class AgentSessionTest extends ApiTest {

    private ContainerInstance describe(String cluster, String arn) {
        return ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(arn)).containerInstances().get(0);
    }

    @Test
    void anOpenSessionMakesTheAgentConnectedWithItsVersions() throws Exception {
        ecs.createCluster(r -> r.clusterName("sessions"));
        ContainerInstance instance = Instances.register(ecs, "sessions");
        assertThat(instance.agentConnected()).isFalse();

        try (AgentSocket socket = AgentSocket.open(berth.endpoint(), berth.key(), RunningBerth.REGION,
                AgentSocket.acsQuery("sessions", instance.containerInstanceArn()))) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(describe("sessions", instance.containerInstanceArn()).agentConnected()).isTrue());
            ContainerInstance connected = describe("sessions", instance.containerInstanceArn());
            assertThat(connected.versionInfo().agentVersion()).isEqualTo("1.89.1");
            assertThat(connected.versionInfo().agentHash()).isEqualTo("4023248c");
            assertThat(connected.versionInfo().dockerVersion()).isEqualTo("20.10.24+dfsg1");
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(describe("sessions", instance.containerInstanceArn()).agentConnected()).isFalse());
    }

    @Test
    void runTaskSendsTheTaskToTheAgentAndStopTaskSendsItAgainStopped() throws Exception {
        ecs.createCluster(r -> r.clusterName("dispatch"));
        ContainerInstance instance = Instances.register(ecs, "dispatch");
        ecs.registerTaskDefinition(r -> r.family("dispatched").containerDefinitions(c -> c.name("web")
                .image("berth-test/busybox").memory(32).command("httpd", "-f")
                .portMappings(p -> p.containerPort(80).hostPort(0))));

        try (AgentSocket socket = AgentSocket.open(berth.endpoint(), berth.key(), RunningBerth.REGION,
                AgentSocket.acsQuery("dispatch", instance.containerInstanceArn()))) {
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    describe("dispatch", instance.containerInstanceArn()).agentConnected());
            String taskArn = ecs.runTask(r -> r.cluster("dispatch").taskDefinition("dispatched")).tasks().get(0).taskArn();

            PayloadMessage payload = socket.next(PayloadMessage.class, Duration.ofSeconds(10));
            assertThat(payload).isNotNull();
            assertThat(payload.containerInstanceArn()).isEqualTo(instance.containerInstanceArn());
            assertThat(payload.clusterArn()).endsWith(":cluster/dispatch");
            assertThat(payload.tasks()).singleElement().satisfies(task -> {
                assertThat(task.arn()).isEqualTo(taskArn);
                assertThat(task.desiredStatus()).isEqualTo("RUNNING");
                assertThat(task.family()).isEqualTo("dispatched");
                assertThat(task.version()).isEqualTo("1");
                assertThat(task.containers()).singleElement().satisfies(c -> {
                    assertThat(c.image()).isEqualTo("berth-test/busybox");
                    assertThat(c.command()).containsExactly("httpd", "-f");
                });
            });
            socket.send(new AckRequest("dispatch", instance.containerInstanceArn(), payload.messageId()));

            ecs.stopTask(r -> r.cluster("dispatch").task(taskArn));
            PayloadMessage stop = socket.next(PayloadMessage.class, Duration.ofSeconds(10));
            assertThat(stop.seqNum()).isGreaterThan(payload.seqNum());
            assertThat(stop.tasks()).singleElement().satisfies(task -> {
                assertThat(task.arn()).isEqualTo(taskArn);
                assertThat(task.desiredStatus()).isEqualTo("STOPPED");
            });
        }
    }

    @Test
    void malformedAcknowledgementsAreIgnoredAndTheSessionStaysOpen() throws Exception {
        ecs.createCluster(r -> r.clusterName("acks"));
        ContainerInstance instance = Instances.register(ecs, "acks");
        ecs.registerTaskDefinition(r -> r.family("acked").containerDefinitions(c -> c.name("web")
                .image("berth-test/busybox").memory(32)));

        try (AgentSocket socket = AgentSocket.open(berth.endpoint(), berth.key(), RunningBerth.REGION,
                AgentSocket.acsQuery("acks", instance.containerInstanceArn()))) {
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    describe("acks", instance.containerInstanceArn()).agentConnected());
            for (String frame : new String[] {
                    "{\"type\":\"AckRequest\",\"message\":{\"cluster\":\"acks\"}}",
                    "{\"type\":\"AckRequest\",\"message\":{\"messageId\":{\"no\":1}}}",
                    "{\"type\":\"AckRequest\",\"message\":null}",
                    "{\"type\":\"AckRequest\"}",
                    "{\"type\":\"IAMRoleCredentialsAckRequest\",\"message\":{\"credentialsId\":\"c\"}}",
                    "{\"type\":\"TaskStopVerificationMessage\",\"message\":{}}",
                    "{\"type\":\"HeartbeatAckRequest\",\"message\":[]}",
                    "[]", "\"text\"", "{"}) {
                socket.sendRaw(frame);
            }
            String taskArn = ecs.runTask(r -> r.cluster("acks").taskDefinition("acked")).tasks().get(0).taskArn();

            PayloadMessage payload = socket.next(PayloadMessage.class, Duration.ofSeconds(10));
            assertThat(payload).as("a payload on the still open session").isNotNull();
            assertThat(payload.tasks()).extracting(t -> t.arn()).containsExactly(taskArn);
            assertThat(describe("acks", instance.containerInstanceArn()).agentConnected()).isTrue();
        }
    }

    @Test
    void aReconnectingAgentIsSentEveryTaskItShouldHold() throws Exception {
        ecs.createCluster(r -> r.clusterName("resend"));
        ContainerInstance instance = Instances.register(ecs, "resend");
        ecs.registerTaskDefinition(r -> r.family("resent").containerDefinitions(c -> c.name("web")
                .image("berth-test/busybox").memory(32)));
        String taskArn = ecs.runTask(r -> r.cluster("resend").taskDefinition("resent")).tasks().get(0).taskArn();

        try (AgentSocket socket = AgentSocket.open(berth.endpoint(), berth.key(), RunningBerth.REGION,
                AgentSocket.acsQuery("resend", instance.containerInstanceArn()))) {
            PayloadMessage payload = socket.next(PayloadMessage.class, Duration.ofSeconds(10));

            assertThat(payload.tasks()).extracting(t -> t.arn()).containsExactly(taskArn);
        }
    }

    @Test
    void telemetryPublishesAreAcknowledgedAndTheLatestStatusKept() throws Exception {
        ecs.createCluster(r -> r.clusterName("telemetry"));
        ContainerInstance instance = Instances.register(ecs, "telemetry");
        String status = "{\"type\":\"PublishInstanceStatusRequest\",\"message\":{\"metadata\":{\"cluster\":\"telemetry\","
                + "\"containerInstance\":\"" + instance.containerInstanceArn() + "\",\"requestId\":\"r-1\"},"
                + "\"statuses\":[{\"type\":\"ContainerRuntime\",\"status\":\"OK\"}],\"timestamp\":1795613567.875}}";

        try (AgentSocket socket = AgentSocket.open(berth.endpoint(), berth.key(), RunningBerth.REGION,
                AgentSocket.telemetryQuery("telemetry", instance.containerInstanceArn()))) {
            socket.sendRaw("Authorization: AWS4-HMAC-SHA256 Credential=x/20261125/us-east-1/ecs/aws4_request, "
                    + "SignedHeaders=host;x-amz-date, Signature=00\r\nHost: 127.0.0.1\r\nX-Amz-Date: 20261125T133247Z\r\n\r\n"
                    + status);

            var ack = socket.next(Duration.ofSeconds(10));
            assertThat(io.berth.model.acs.AcsCodec.typeOf(ack)).isEqualTo("AckPublishInstanceStatus");
            assertThat(berth.server().agentSessions().telemetry().latestStatus(instance.containerInstanceArn()))
                    .hasValueSatisfying(s -> assertThat(s.path("statuses").get(0).path("status").asText()).isEqualTo("OK"));
        }
    }

    @Test
    void aDeregisteredInstanceIsRefusedAsInactive() {
        ecs.createCluster(r -> r.clusterName("gone"));
        ContainerInstance instance = Instances.register(ecs, "gone");
        ecs.deregisterContainerInstance(r -> r.cluster("gone").containerInstance(instance.containerInstanceArn()));

        assertThatThrownBy(() -> AgentSocket.open(berth.endpoint(), berth.key(), RunningBerth.REGION,
                AgentSocket.acsQuery("gone", instance.containerInstanceArn())))
                .isInstanceOf(ExecutionException.class)
                .hasStackTraceContaining("status code 400");
    }

    @Test
    void aSessionNamingAnotherClusterThanItsInstancesIsRefused() {
        ecs.createCluster(r -> r.clusterName("own"));
        ecs.createCluster(r -> r.clusterName("foreign"));
        ContainerInstance instance = Instances.register(ecs, "own");

        assertThatThrownBy(() -> AgentSocket.open(berth.endpoint(), berth.key(), RunningBerth.REGION,
                AgentSocket.acsQuery("foreign", instance.containerInstanceArn())))
                .isInstanceOf(ExecutionException.class)
                .hasStackTraceContaining("status code 400");
        assertThatThrownBy(() -> AgentSocket.open(berth.endpoint(), berth.key(), RunningBerth.REGION,
                AgentSocket.telemetryQuery("foreign", instance.containerInstanceArn())))
                .isInstanceOf(ExecutionException.class)
                .hasStackTraceContaining("status code 400");
    }

    @Test
    void anUnsignedOrWronglySignedUpgradeIsRefused() {
        ecs.createCluster(r -> r.clusterName("unsigned"));
        ContainerInstance instance = Instances.register(ecs, "unsigned");
        var wrongKey = new io.berth.control.iam.AccessKey(berth.key().accessKeyId(), "not-the-secret",
                berth.accountId(), "arn:aws:iam::" + berth.accountId() + ":root", "Active", java.time.Instant.now());

        assertThatThrownBy(() -> AgentSocket.open(berth.endpoint(), wrongKey, RunningBerth.REGION,
                AgentSocket.acsQuery("unsigned", instance.containerInstanceArn())))
                .isInstanceOf(ExecutionException.class)
                .hasStackTraceContaining("status code 400");
        assertThat(describe("unsigned", instance.containerInstanceArn()).agentConnected()).isFalse();
    }
}
