package io.berth.agent.acs;

import static io.berth.agent.AcsFixtures.container;
import static io.berth.agent.AcsFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.agent.AcsFixtures.ContainerSpec;
import io.berth.agent.engine.ContainerRecord;
import io.berth.agent.engine.Status;
import io.berth.agent.engine.TaskRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class TelemetrySessionTest {

    private static final String CLUSTER = "test";
    private static final String INSTANCE_ARN = "arn:aws:ecs:us-east-1:123456789012:container-instance/test/0123";
    private static final String TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task/test/abc";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Instant SINCE = Instant.parse("2026-01-01T00:00:00.250Z");

    private final AtomicReference<List<TaskRecord>> tasks = new AtomicReference<>(List.of());
    private FakeAcs tcs;
    private TelemetrySession session;

    @BeforeEach
    void startEndpoint() throws Exception {
        tcs = new FakeAcs(SECRET);
    }

    @AfterEach
    void close() throws Exception {
        if (session != null) {
            session.close();
        }
        tcs.close();
    }

    private void connect(Duration publishInterval, Supplier<List<TaskRecord>> source, String secret) {
        AcsSettings settings = new AcsSettings(CLUSTER, INSTANCE_ARN, "us-east-1", "0.1.0", "berth", "20.10.24",
                Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofMillis(50), Duration.ofMillis(200),
                Duration.ofHours(1));
        session = new TelemetrySession(settings, tcs::endpoint,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", secret)), source,
                publishInterval);
        session.start();
    }

    private void connect(Duration publishInterval) {
        connect(publishInterval, tasks::get, SECRET);
        await().atMost(Duration.ofSeconds(10)).until(tcs::hasTelemetrySession);
    }

    private static ContainerRecord running(String name, String dockerHealth) {
        return new ContainerRecord(name, "busybox", "id-" + name, "ecs-" + name, "endpoint", Status.RUNNING,
                Status.RUNNING, null, null, dockerHealth, dockerHealth == null ? null : SINCE, List.of(), null, null,
                null);
    }

    private static TaskRecord taskWith(Status known, ContainerRecord... containers) {
        List<String> names = new ArrayList<>();
        for (ContainerRecord c : containers) {
            names.add(c.name());
        }
        return new TaskRecord(task(TASK_ARN, names.stream().map(n -> container(n, "true"))
                .toArray(ContainerSpec[]::new)), "RUNNING", known, known, null, null, null,
                null, null, Map.of(), List.of(), List.of(containers));
    }

    private static Map<String, String> statuses(JsonNode health) {
        TreeMap<String, String> statuses = new TreeMap<>();
        health.path("message").path("tasks").forEach(task -> task.path("containers").forEach(c ->
                statuses.put(c.path("containerName").asText(), c.path("healthStatus").asText())));
        return statuses;
    }

    @Test
    void healthIsPublishedSignedForEachContainerWithAHealthCheck() throws Exception {
        tasks.set(List.of(taskWith(Status.RUNNING, running("web", "healthy"), running("db", "starting"),
                running("plain", null))));

        connect(Duration.ofHours(1));
        FakeAcs.TelemetryFrame frame = tcs.nextTelemetry("PublishHealthRequest", 10);

        assertThat(frame.signatureValid()).isTrue();
        assertThat(frame.headers().get("Authorization")).contains("/us-east-1/ecs/aws4_request")
                .contains("SignedHeaders=host;x-amz-date");
        JsonNode message = frame.body().path("message");
        assertThat(message.path("metadata").path("cluster").asText()).isEqualTo(CLUSTER);
        assertThat(message.path("metadata").path("containerInstance").asText()).isEqualTo(INSTANCE_ARN);
        assertThat(message.path("metadata").path("fin").asBoolean()).isTrue();
        assertThat(message.path("metadata").path("messageId").asText()).isNotEmpty();
        assertThat(message.path("timestamp").isNumber()).isTrue();
        JsonNode task = message.path("tasks").get(0);
        assertThat(task.path("taskArn").asText()).isEqualTo(TASK_ARN);
        assertThat(task.path("taskDefinitionFamily").asText()).isEqualTo("test");
        assertThat(task.path("taskDefinitionVersion").asText()).isEqualTo("1");
        assertThat(statuses(frame.body())).containsExactly(Map.entry("db", "UNKNOWN"), Map.entry("web", "HEALTHY"));
        assertThat(task.path("containers").get(0).path("statusSince").decimalValue())
                .isEqualByComparingTo("1767225600.250");
    }

    @Test
    void theUpgradeNamesTheInstanceAsTelemetryDoes() {
        connect(Duration.ofHours(1));

        FakeAcs.Upgrade upgrade = tcs.upgrades().getFirst();
        assertThat(upgrade.signatureValid()).isTrue();
        assertThat(upgrade.query()).containsEntry("cluster", CLUSTER).containsEntry("containerInstance", INSTANCE_ARN)
                .containsEntry("dockerVersion", "20.10.24").containsEntry("agentVersion", "0.1.0")
                .doesNotContainKey("containerInstanceArn");
    }

    @Test
    void aChangeIsPublishedAtOnce() throws Exception {
        tasks.set(List.of(taskWith(Status.RUNNING, running("web", "starting"))));
        connect(Duration.ofHours(1));
        assertThat(statuses(tcs.nextTelemetry("PublishHealthRequest", 10).body())).containsEntry("web", "UNKNOWN");

        tasks.set(List.of(taskWith(Status.RUNNING, running("web", "unhealthy"))));

        assertThat(statuses(tcs.nextTelemetry("PublishHealthRequest", 10).body())).containsEntry("web", "UNHEALTHY");
    }

    @Test
    void unchangedHealthIsPublishedAgainPeriodically() throws Exception {
        tasks.set(List.of(taskWith(Status.RUNNING, running("web", "healthy"))));
        connect(Duration.ofMillis(300));

        JsonNode first = tcs.nextTelemetry("PublishHealthRequest", 10).body();
        JsonNode second = tcs.nextTelemetry("PublishHealthRequest", 10).body();

        assertThat(statuses(second)).isEqualTo(statuses(first));
        assertThat(second.path("message").path("metadata").path("messageId"))
                .isNotEqualTo(first.path("message").path("metadata").path("messageId"));
    }

    @Test
    void stoppedTasksStoppedContainersAndContainersWithoutChecksAreNotPublished() throws Exception {
        ContainerRecord exited = new ContainerRecord("done", "busybox", "id", "n", "e", Status.STOPPED,
                Status.STOPPED, 0, null, "healthy", SINCE, List.of(), null, null, null);
        tasks.set(List.of(taskWith(Status.STOPPED, running("web", "healthy")),
                taskWith(Status.RUNNING, exited, running("plain", null))));

        connect(Duration.ofMillis(100));

        assertThat(tcs.pollTelemetry(1500)).isNull();
    }

    @Test
    void aFailingSourceIsAskedAgainUntilItAnswers() throws Exception {
        AtomicReference<Boolean> failing = new AtomicReference<>(true);
        tasks.set(List.of(taskWith(Status.RUNNING, running("web", "healthy"))));
        connect(Duration.ofHours(1), () -> {
            if (failing.get()) {
                throw new IllegalStateException("engine busy");
            }
            return tasks.get();
        }, SECRET);
        await().atMost(Duration.ofSeconds(10)).until(tcs::hasTelemetrySession);

        failing.set(false);

        assertThat(statuses(tcs.nextTelemetry("PublishHealthRequest", 10).body())).containsEntry("web", "HEALTHY");
    }

    @Test
    void aDroppedConnectionIsReopenedAndHealthPublishedOnIt() throws Exception {
        tasks.set(List.of(taskWith(Status.RUNNING, running("web", "healthy"))));
        connect(Duration.ofMillis(300));
        tcs.nextTelemetry("PublishHealthRequest", 10);

        tcs.dropTelemetryConnection();

        await().atMost(Duration.ofSeconds(10)).until(() -> tcs.upgrades().size() >= 2 && tcs.hasTelemetrySession());
        tcs.pollTelemetry(0);
        FakeAcs.TelemetryFrame again = tcs.nextTelemetry("PublishHealthRequest", 10);
        assertThat(again.signatureValid()).isTrue();
    }

    @Test
    void aRefusedUpgradePublishesNothing() throws Exception {
        tasks.set(List.of(taskWith(Status.RUNNING, running("web", "healthy"))));

        connect(Duration.ofMillis(100), tasks::get, "not-the-secret");

        await().atMost(Duration.ofSeconds(10)).until(() -> !tcs.upgrades().isEmpty());
        assertThat(tcs.upgrades().getFirst().signatureValid()).isFalse();
        assertThat(session.connected()).isFalse();
        assertThat(tcs.pollTelemetry(1000)).isNull();
    }
}
