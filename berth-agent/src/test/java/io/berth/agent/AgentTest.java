package io.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.agent.acs.FakeAcs;
import io.berth.agent.engine.EcsLabels;
import io.berth.agent.engine.ImagePullBehavior;
import io.berth.model.acs.AckRequest;
import io.berth.model.acs.AcsMessage;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.AcsVolume;
import io.berth.model.acs.HostVolume;
import io.berth.model.acs.PayloadMessage;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class AgentTest {

    @RegisterExtension
    static final TestDocker DOCKER = TestDocker.forCluster("berth-agent");
    private static final String CLUSTER = DOCKER.cluster();
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @TempDir
    Path dataDirectory;
    private FakeAcs acs;
    private FakeEcs ecs;
    private Agent agent;
    private int metadataPort;

    @BeforeEach
    void startControlPlane() throws Exception {
        acs = new FakeAcs(SECRET);
        ecs = new FakeEcs(acs.endpoint());
        try (ServerSocket probe = new ServerSocket(0)) {
            metadataPort = probe.getLocalPort();
        }
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (agent != null) {
            agent.close();
        }
        ecs.close();
        acs.close();
    }

    private AgentConfig config() {
        return AgentConfig.of(CLUSTER, "us-east-1", ecs.endpoint(),
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", SECRET)),
                        dataDirectory)
                .withInstanceAttributes(Map.of("custom.stack", "blue"))
                .withInstanceTags(Map.of("team", "platform"))
                .withImagePullBehavior(ImagePullBehavior.PREFER_CACHED)
                .withMetadataEndpoint(new InetSocketAddress("127.0.0.1", metadataPort),
                        "http://127.0.0.1:" + metadataPort);
    }

    private void startAgent() {
        agent = Agent.start(config());
        await().atMost(Duration.ofSeconds(15)).until(acs::hasSession);
    }

    @Test
    void registersWithTheHostsResourcesAndCapabilities() {
        startAgent();

        JsonNode register = ecs.calls("RegisterContainerInstance").getFirst().body();
        assertThat(register.get("cluster").asText()).isEqualTo(CLUSTER);
        assertThat(register.has("containerInstanceArn")).isFalse();
        assertThat(register.get("instanceIdentityDocument").asText()).isEmpty();
        assertThat(resource(register, "CPU").get("integerValue").asInt())
                .isEqualTo(Runtime.getRuntime().availableProcessors() * 1024);
        assertThat(resource(register, "MEMORY").get("integerValue").asInt()).isPositive();
        assertThat(strings(resource(register, "PORTS").get("stringSetValue")))
                .containsExactly("22", "2375", "2376", "51678", "51679");
        assertThat(strings(resource(register, "PORTS_UDP").get("stringSetValue"))).isEmpty();
        List<String> attributes = new ArrayList<>();
        register.get("attributes").forEach(a -> attributes.add(a.get("name").asText()
                + (a.has("value") ? "=" + a.get("value").asText() : "")));
        assertThat(attributes.getFirst()).isEqualTo("custom.stack=blue");
        assertThat(attributes).contains(
                "com.amazonaws.ecs.capability.docker-remote-api.1.17",
                "com.amazonaws.ecs.capability.docker-remote-api.1.21",
                "com.amazonaws.ecs.capability.logging-driver.json-file",
                "ecs.capability.container-health-check",
                "ecs.capability.task-eni",
                "ecs.os-type=linux");
        assertThat(attributes).anyMatch(a -> a.startsWith("ecs.cpu-architecture="));
        assertThat(attributes).contains(
                "com.amazonaws.ecs.capability.logging-driver.awslogs",
                "ecs.capability.execution-role-awslogs",
                "ecs.capability.secrets.ssm.environment-variables",
                "ecs.capability.secrets.asm.environment-variables",
                "ecs.capability.private-registry-authentication.secretsmanager");
        assertThat(attributes).doesNotHaveDuplicates();
        assertThat(register.get("tags").get(0).get("key").asText()).isEqualTo("team");

        FakeAcs.Upgrade upgrade = acs.upgrades().stream().filter(u -> u.query().containsKey("containerInstanceArn"))
                .findFirst().orElseThrow();
        assertThat(upgrade.signatureValid()).isTrue();
        assertThat(upgrade.query()).containsEntry("containerInstanceArn", agent.containerInstanceArn())
                .containsEntry("clusterArn", CLUSTER);
        assertThat(upgrade.query().get("dockerVersion")).startsWith("DockerVersion: ");
        assertThat(ecs.calls("DiscoverPollEndpoint").getFirst().body().get("containerInstance").asText())
                .isEqualTo(agent.containerInstanceArn());
        await().atMost(Duration.ofSeconds(10)).until(acs::hasTelemetrySession);
        assertThat(tcsUpgrade().signatureValid()).isTrue();
    }

    @Test
    void runsATaskFromAPayloadAndReportsItToTheControlPlane(@TempDir Path out) throws Exception {
        out.toFile().setWritable(true, false);
        startAgent();
        String arn = AcsFixtures.taskArn(CLUSTER);
        AcsTask task = AcsFixtures.task(arn, List.of(new AcsVolume("out", null, new HostVolume(out.toString()), null)),
                AcsFixtures.container("app", "echo $ECS_CONTAINER_METADATA_URI_V4 > /out/uri; sleep 300")
                        .mount("out", "/out"));

        acs.send(payload("pm-1", 1, task));

        assertThat(nextAck()).isEqualTo(new AckRequest(CLUSTER_ARN, agent.containerInstanceArn(), "pm-1"));
        JsonNode running = awaitStateChange(arn, "RUNNING");
        assertThat(running.get("cluster").asText()).isEqualTo(CLUSTER);
        String dockerId = running.get("containers").get(0).get("runtimeId").asText();
        assertThat(DOCKER.runtime().listByLabel(EcsLabels.TASK_ARN, arn)).singleElement()
                .satisfies(c -> assertThat(c.id()).isEqualTo(dockerId));

        String endpointId = agent.engine().task(arn).orElseThrow().container("app").endpointId();
        JsonNode containerMetadata = getJson("/v4/" + endpointId);
        assertThat(containerMetadata.get("DockerId").asText()).isEqualTo(dockerId);
        assertThat(containerMetadata.get("Name").asText()).isEqualTo("app");
        assertThat(getJson("/v4/" + endpointId + "/task").get("TaskARN").asText()).isEqualTo(arn);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(out.resolve("uri")));
        assertThat(Files.readString(out.resolve("uri")).trim())
                .isEqualTo("http://127.0.0.1:" + metadataPort + "/v4/" + endpointId);

        acs.send(payload("pm-2", 2, AcsFixtures.withDesiredStatus(task, "STOPPED")));

        assertThat(nextAck()).isEqualTo(new AckRequest(CLUSTER_ARN, agent.containerInstanceArn(), "pm-2"));
        JsonNode stopped = awaitStateChange(arn, "STOPPED");
        assertThat(stopped.get("containers").get(0).get("exitCode").asInt()).isIn(137, 143);
    }

    @Test
    void confirmsTheAttachmentOfAnAwsvpcTaskAsTheOfficialAgentDoes() {
        startAgent();
        String arn = AcsFixtures.taskArn(CLUSTER);
        String address = "10.215." + ThreadLocalRandom.current().nextInt(256) + ".10";
        AcsTask task = AcsFixtures.awsvpc(AcsFixtures.task(arn, AcsFixtures.container("app", "sleep 300")),
                AcsFixtures.eni(address, false));

        acs.send(payload("pm-1", 1, task));
        awaitStateChange(arn, "RUNNING");

        JsonNode confirmation = ecs.calls("SubmitTaskStateChange").stream().map(FakeEcs.Call::body)
                .filter(b -> b.get("task").asText().equals(arn)).findFirst().orElseThrow();
        assertThat(confirmation.has("status")).isFalse();
        assertThat(confirmation.get("attachments")).hasSize(1);
        assertThat(confirmation.get("attachments").get(0).get("attachmentArn").asText())
                .isEqualTo(task.elasticNetworkInterfaces().getFirst().attachmentArn());
        assertThat(confirmation.get("attachments").get(0).get("status").asText()).isEqualTo("ATTACHED");
        acs.send(payload("pm-2", 2, AcsFixtures.withDesiredStatus(task, "STOPPED")));
        awaitStateChange(arn, "STOPPED");
        await().atMost(Duration.ofSeconds(20)).until(() -> DOCKER.runtime().networks()
                .inspect("berth-awsvpc-" + address.replace('.', '-').replaceAll("-10$", "-0") + "-24").isEmpty());
    }

    @Test
    void publishesTheDockerHealthOfItsContainersOverTelemetry() throws Exception {
        startAgent();
        String arn = AcsFixtures.taskArn(CLUSTER);
        AcsTask task = AcsFixtures.task(arn,
                AcsFixtures.container("passes", "sleep 300").config(healthCheck("true")),
                AcsFixtures.container("fails", "sleep 300").notEssential().config(healthCheck("false")),
                AcsFixtures.container("unchecked", "sleep 300").notEssential());

        acs.send(payload("pm-1", 1, task));
        awaitStateChange(arn, "RUNNING");

        FakeAcs.TelemetryFrame settled = awaitHealth(arn, Map.of("passes", "HEALTHY", "fails", "UNHEALTHY"));
        assertThat(settled.signatureValid()).isTrue();
        JsonNode published = settled.body().path("message").path("tasks").get(0);
        assertThat(published.path("taskDefinitionFamily").asText()).isEqualTo("test");
        assertThat(published.path("containers")).allSatisfy(c -> assertThat(c.path("statusSince").isNumber()).isTrue());
        assertThat(tcsUpgrade().query()).containsEntry("containerInstance", agent.containerInstanceArn())
                .containsEntry("cluster", CLUSTER);
        acs.send(payload("pm-2", 2, AcsFixtures.withDesiredStatus(task, "STOPPED")));
        awaitStateChange(arn, "STOPPED");
    }

    /** A Docker health check running {@code command} every 200 ms, unhealthy after one failure. */
    private static String healthCheck(String command) {
        return "{\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"" + command + "\"],\"Interval\":200000000,"
                + "\"Timeout\":1000000000,\"Retries\":1}}";
    }

    /** The first health report of the task that says exactly {@code expected} of its containers. */
    private FakeAcs.TelemetryFrame awaitHealth(String taskArn, Map<String, String> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, String> last = Map.of();
        while (System.nanoTime() < deadline) {
            FakeAcs.TelemetryFrame frame = acs.pollTelemetry(1000);
            if (frame == null || !frame.type().equals("PublishHealthRequest")) {
                continue;
            }
            Map<String, String> statuses = new java.util.HashMap<>();
            frame.body().path("message").path("tasks").forEach(t -> {
                if (t.path("taskArn").asText().equals(taskArn)) {
                    t.path("containers").forEach(c -> statuses.put(c.path("containerName").asText(),
                            c.path("healthStatus").asText()));
                }
            });
            if (statuses.equals(expected)) {
                return frame;
            }
            last = statuses;
        }
        throw new AssertionError("No health report said " + expected + "; the last said " + last);
    }

    private FakeAcs.Upgrade tcsUpgrade() {
        return acs.upgrades().stream().filter(u -> u.query().containsKey("containerInstance")).findFirst()
                .orElseThrow();
    }

    @Test
    void aRestartedAgentRegistersAgainWithItsCheckpointedArn() {
        startAgent();
        String arn = agent.containerInstanceArn();
        agent.close();
        agent = null;

        startAgent();

        JsonNode again = ecs.calls("RegisterContainerInstance").get(1).body();
        assertThat(again.get("containerInstanceArn").asText()).isEqualTo(arn);
        assertThat(again.get("attributes").toString()).doesNotContain("custom.stack");
        assertThat(agent.containerInstanceArn()).isEqualTo(arn);
    }

    private static final String CLUSTER_ARN = "arn:aws:ecs:us-east-1:123456789012:cluster/" + CLUSTER;

    private PayloadMessage payload(String messageId, int seqNum, AcsTask task) {
        return new PayloadMessage(agent.containerInstanceArn(), CLUSTER_ARN, List.of(task), 1795613569L, messageId,
                seqNum, null);
    }

    private AckRequest nextAck() throws InterruptedException {
        while (true) {
            AcsMessage message = acs.next();
            if (message instanceof AckRequest ack) {
                return ack;
            }
        }
    }

    private JsonNode awaitStateChange(String taskArn, String status) {
        await().atMost(Duration.ofSeconds(60)).until(() -> ecs.calls("SubmitTaskStateChange").stream()
                .anyMatch(c -> c.body().get("task").asText().equals(taskArn)
                        && c.body().path("status").asText().equals(status)));
        return ecs.calls("SubmitTaskStateChange").stream().map(FakeEcs.Call::body)
                .filter(b -> b.get("task").asText().equals(taskArn) && b.path("status").asText().equals(status))
                .findFirst().orElseThrow();
    }

    private JsonNode getJson(String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metadataPort + path))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            return new ObjectMapper().readTree(body);
        }
    }

    private static JsonNode resource(JsonNode register, String name) {
        for (JsonNode resource : register.get("totalResources")) {
            if (resource.get("name").asText().equals(name)) {
                return resource;
            }
        }
        throw new AssertionError("No resource " + name);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> values.add(v.asText()));
        }
        return values;
    }
}
