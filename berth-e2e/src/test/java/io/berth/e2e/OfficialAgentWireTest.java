package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.model.acs.AcsCodec;
import io.berth.model.acs.AcsMessage;
import io.berth.model.acs.PayloadMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The official agent's whole conversation, byte for byte in the shapes of AGENT-PROTOCOL.md, with raw signed HTTP
 * and raw websocket frames: registration with {@code clientToken} and the observed 55 attributes, DiscoverPollEndpoint
 * with {@code zoneId}, the ACS upgrade, heartbeat and payload acks, header-prefixed TCS frames, and the
 * SubmitTaskStateChange bodies of a task's life.
 */
class OfficialAgentWireTest extends ApiTest {

    private static final String TARGET = SignedHttp.TARGET_PREFIX;
    private static final String USER_AGENT = "Amazon ECS Agent - v1.89.1 (4023248c) (linux) (+http://aws.amazon.com/ecs/)";
    private static final String CLUSTER = "wire";

    private SignedHttp.Answer call(String operation, String json) {
        SignedHttp.Call call = SignedHttp.Call.ecs(TARGET + operation, json);
        call.headers().put("User-Agent", USER_AGENT);
        call.headers().put("Accept-Encoding", "gzip");
        SignedHttp.Answer answer = new SignedHttp(berth.endpoint()).signed(call, berth.key().accessKeyId(),
                berth.key().secretAccessKey(), RunningBerth.REGION);
        assertThat(answer.status()).as(operation + ": " + answer.body()).isEqualTo(200);
        return answer;
    }

    /** The attributes of the observed registration: one custom, the capabilities, then the os attributes. */
    private static List<String> observedAttributes() {
        List<String> attributes = new ArrayList<>();
        attributes.add("{\"name\":\"stack\",\"value\":\"wire\"}");
        List<String> capabilities = new ArrayList<>(List.of(
                "ecs.capability.secrets.ssm.environment-variables", "ecs.capability.secrets.ssm.bootstrap.log-driver",
                "ecs.capability.container-ordering", "ecs.capability.full-sync", "ecs.capability.env-files.s3",
                "ecs.capability.network.container-port-range", "ecs.capability.container-restart-policy",
                "com.amazonaws.ecs.capability.privileged-container", "com.amazonaws.ecs.capability.ecr-auth",
                "ecs.capability.execution-role-ecr-pull", "ecs.capability.container-health-check",
                "ecs.capability.docker-plugin.local", "ecs.capability.efs", "ecs.capability.firelens.fluentd",
                "ecs.capability.firelens.fluentbit", "ecs.capability.logging-driver.awsfirelens",
                "com.amazonaws.ecs.capability.logging-driver.json-file",
                "com.amazonaws.ecs.capability.logging-driver.none",
                "com.amazonaws.ecs.capability.logging-driver.syslog",
                "com.amazonaws.ecs.capability.logging-driver.awslogs", "ecs.capability.external",
                "ecs.capability.private-registry-authentication.secretsmanager",
                "ecs.capability.secrets.asm.environment-variables", "ecs.capability.secrets.asm.bootstrap.log-driver",
                "ecs.capability.task-cpu-mem-limit", "ecs.capability.pid-ipc-namespace-sharing"));
        for (int minor = 17; minor <= 41; minor++) {
            capabilities.add("com.amazonaws.ecs.capability.docker-remote-api.1." + minor);
        }
        capabilities.forEach(name -> attributes.add("{\"name\":\"" + name + "\"}"));
        attributes.add("{\"name\":\"ecs.os-type\",\"value\":\"linux\"}");
        attributes.add("{\"name\":\"ecs.os-family\",\"value\":\"LINUX\"}");
        attributes.add("{\"name\":\"ecs.cpu-architecture\",\"value\":\"x86_64\"}");
        return attributes;
    }

    private ContainerInstance describeInstance(String arn) {
        return ecs.describeContainerInstances(r -> r.cluster(CLUSTER).containerInstances(arn)).containerInstances().get(0);
    }

    private Task describeTask(String arn) {
        return ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(arn)).tasks().get(0);
    }

    /** A TCS frame as the agent sends it: a SigV4 header block signed over the JSON, a blank line, the JSON. */
    private String tcsFrame(String json) {
        return AgentSocket.telemetryFrame(berth.endpoint(), berth.key(), RunningBerth.REGION, json);
    }

    private static String seconds(Instant instant) {
        return String.format(Locale.ROOT, "%d.%03d", instant.getEpochSecond(), instant.getNano() / 1_000_000);
    }

    @Test
    void theOfficialAgentsConversationIsAcceptedFromRegistrationToAStoppedTask() throws Exception {
        ecs.createCluster(r -> r.clusterName(CLUSTER));
        List<String> attributes = observedAttributes();
        assertThat(attributes).hasSize(55);

        // RegisterContainerInstance, external mode, as the agent sends it
        JsonNode registered = call("RegisterContainerInstance", "{\"cluster\":\"" + CLUSTER + "\","
                + "\"instanceIdentityDocument\":\"\",\"instanceIdentityDocumentSignature\":\"\","
                + "\"totalResources\":[{\"name\":\"CPU\",\"type\":\"INTEGER\",\"integerValue\":2048},"
                + "{\"name\":\"MEMORY\",\"type\":\"INTEGER\",\"integerValue\":3902},"
                + "{\"name\":\"PORTS\",\"type\":\"STRINGSET\",\"stringSetValue\":[\"22\",\"2375\",\"2376\",\"51678\",\"51679\"]},"
                + "{\"name\":\"PORTS_UDP\",\"type\":\"STRINGSET\",\"stringSetValue\":[]}],"
                + "\"attributes\":[" + String.join(",", attributes) + "],"
                + "\"clientToken\":\"" + UUID.randomUUID() + "\"}").json().path("containerInstance");
        String instanceArn = registered.path("containerInstanceArn").asText();
        assertThat(instanceArn).contains(":container-instance/" + CLUSTER + "/");
        List<String> echoed = new ArrayList<>();
        registered.path("attributes").forEach(a -> echoed.add(a.toString()));
        for (String attribute : attributes) {
            assertThat(echoed).as("the agent exits unless every attribute is echoed").contains(attribute);
        }

        // DiscoverPollEndpoint with the zoneId the public model lacks
        JsonNode endpoints = call("DiscoverPollEndpoint", "{\"containerInstance\":\"" + instanceArn + "\","
                + "\"cluster\":\"" + CLUSTER + "\",\"zoneId\":\"\"}").json();
        assertThat(endpoints.path("endpoint").asText()).isEqualTo(berth.endpoint());
        assertThat(endpoints.path("telemetryEndpoint").asText()).isEqualTo(berth.endpoint());

        ecs.registerTaskDefinition(r -> r.family("wire-web").containerDefinitions(c -> c.name("web")
                .image("berth-test/busybox").memory(256).memoryReservation(64).cpu(256)
                .portMappings(p -> p.containerPort(8080).hostPort(0))));
        Resource memoryBefore = describeInstance(instanceArn).remainingResources().stream()
                .filter(r -> r.name().equals("MEMORY")).findFirst().orElseThrow();

        // the ACS upgrade: signed host;x-amz-date, the agent's query with the "DockerVersion: " prefix
        try (AgentSocket acs = AgentSocket.open(endpoints.path("endpoint").asText(), berth.key(), RunningBerth.REGION,
                AgentSocket.acsQuery(CLUSTER, instanceArn));
             AgentSocket tcs = AgentSocket.open(endpoints.path("telemetryEndpoint").asText(), berth.key(),
                     RunningBerth.REGION, AgentSocket.telemetryQuery(CLUSTER, instanceArn))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> describeInstance(instanceArn).agentConnected());
            acs.sendRaw("{\"type\":\"HeartbeatAckRequest\",\"message\":{\"messageId\":\"" + UUID.randomUUID() + "\"}}");

            String taskArn = ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("wire-web")).tasks().get(0).taskArn();
            PayloadMessage payload = acs.next(PayloadMessage.class, Duration.ofSeconds(10));
            assertThat(payload.tasks()).extracting(t -> t.arn()).containsExactly(taskArn);
            // Without a task size the agent gets none: it would enforce one as the task's hard cgroup limits.
            assertThat(payload.tasks()).singleElement().satisfies(t -> {
                assertThat(t.cpu()).isNull();
                assertThat(t.memory()).isNull();
                assertThat(t.launchType()).isEqualTo("EC2");
                assertThat(t.containers().get(0).memory()).isEqualTo(256);
            });
            acs.sendRaw("{\"type\":\"AckRequest\",\"message\":{\"cluster\":\"" + payload.clusterArn() + "\","
                    + "\"containerInstance\":\"" + instanceArn + "\",\"messageId\":\"" + payload.messageId() + "\"}}");

            Instant pullStarted = Instant.now().minusMillis(900);
            Instant pullStopped = Instant.now().minusMillis(400);
            call("SubmitTaskStateChange", "{\"cluster\":\"" + CLUSTER + "\",\"task\":\"" + taskArn + "\","
                    + "\"status\":\"RUNNING\",\"reason\":\"\",\"containers\":[{\"containerName\":\"web\","
                    + "\"runtimeId\":\"524f6d1e0c\",\"status\":\"RUNNING\",\"networkBindings\":[{\"bindIP\":\"0.0.0.0\","
                    + "\"containerPort\":8080,\"hostPort\":32768,\"protocol\":\"tcp\"}]}],"
                    + "\"pullStartedAt\":" + seconds(pullStarted) + ",\"pullStoppedAt\":" + seconds(pullStopped) + "}");

            Task running = describeTask(taskArn);
            assertThat(running.lastStatus()).isEqualTo("RUNNING");
            assertThat(running.pullStartedAt()).isEqualTo(pullStarted.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            assertThat(running.containers().get(0).runtimeId()).isEqualTo("524f6d1e0c");
            assertThat(running.containers().get(0).networkBindings()).singleElement().satisfies(b -> {
                assertThat(b.hostPort()).isEqualTo(32768);
                assertThat(b.containerPort()).isEqualTo(8080);
                assertThat(b.bindIP()).isEqualTo("0.0.0.0");
            });

            // telemetry frames: header block, blank line, JSON; each is acknowledged
            String metadata = "\"cluster\":\"" + CLUSTER + "\",\"containerInstance\":\"" + instanceArn + "\"";
            tcs.sendRaw(tcsFrame("{\"type\":\"PublishInstanceStatusRequest\",\"message\":{\"metadata\":{" + metadata
                    + ",\"requestId\":\"" + UUID.randomUUID() + "\"},\"statuses\":[{\"type\":\"ContainerRuntime\","
                    + "\"status\":\"OK\",\"statusReason\":\"\",\"lastUpdated\":" + seconds(Instant.now())
                    + ",\"lastStatusChange\":" + seconds(Instant.now()) + "}],\"timestamp\":" + seconds(Instant.now()) + "}}"));
            tcs.sendRaw(tcsFrame("{\"type\":\"PublishMetricsRequest\",\"message\":{\"metadata\":{" + metadata
                    + ",\"messageId\":\"" + UUID.randomUUID() + "\",\"idle\":true,\"fin\":true},"
                    + "\"taskMetrics\":[],\"timestamp\":" + seconds(Instant.now()) + "}}"));
            List<String> acks = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                AcsMessage ack = nextOtherThanHeartbeat(tcs);
                assertThat(ack).as("telemetry acknowledgement").isNotNull();
                acks.add(AcsCodec.typeOf(ack));
            }
            assertThat(acks).containsExactlyInAnyOrder("AckPublishInstanceStatus", "AckPublishMetric");

            ecs.stopTask(r -> r.cluster(CLUSTER).task(taskArn).reason("done"));
            PayloadMessage stop = acs.next(PayloadMessage.class, Duration.ofSeconds(10));
            assertThat(stop.tasks()).singleElement().satisfies(t -> assertThat(t.desiredStatus()).isEqualTo("STOPPED"));
            acs.sendRaw("{\"type\":\"AckRequest\",\"message\":{\"cluster\":\"" + stop.clusterArn() + "\","
                    + "\"containerInstance\":\"" + instanceArn + "\",\"messageId\":\"" + stop.messageId() + "\"}}");

            String stopped = "{\"cluster\":\"" + CLUSTER + "\",\"task\":\"" + taskArn + "\",\"status\":\"STOPPED\","
                    + "\"reason\":\"\",\"containers\":[{\"containerName\":\"web\",\"runtimeId\":\"524f6d1e0c\","
                    + "\"status\":\"STOPPED\",\"exitCode\":137,\"networkBindings\":[{\"bindIP\":\"0.0.0.0\","
                    + "\"containerPort\":8080,\"hostPort\":32768,\"protocol\":\"tcp\"}]}],"
                    + "\"executionStoppedAt\":" + seconds(Instant.now()) + "}";
            call("SubmitTaskStateChange", stopped);
            call("SubmitTaskStateChange", stopped);
        }

        Task done = describeTask(ecs.listTasks(r -> r.cluster(CLUSTER).desiredStatus("STOPPED")).taskArns().get(0));
        assertThat(done.lastStatus()).isEqualTo("STOPPED");
        assertThat(done.stopCode().toString()).isEqualTo("UserInitiated");
        assertThat(done.stoppedReason()).isEqualTo("done");
        assertThat(done.executionStoppedAt()).isNotNull();
        assertThat(done.containers().get(0).exitCode()).isEqualTo(137);
        Resource memoryAfter = describeInstance(instanceArn).remainingResources().stream()
                .filter(r -> r.name().equals("MEMORY")).findFirst().orElseThrow();
        assertThat(memoryAfter).isEqualTo(memoryBefore);
    }

    private static AcsMessage nextOtherThanHeartbeat(AgentSocket socket) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            AcsMessage message = socket.next(Duration.ofNanos(deadline - System.nanoTime()));
            if (message != null && !AcsCodec.typeOf(message).equals("HeartbeatMessage")) {
                return message;
            }
        }
        return null;
    }
}
