package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/**
 * What an operator's tools ask of a server without signing: {@code /metrics} counts the calls, placements, tasks,
 * agent sessions and store commits just made, and names no account, key or resource; {@code /healthz} and
 * {@code /readyz} say only that the server lives and answers.
 */
class ObservabilityApiTest extends ApiTest {

    // Every in-process test server's certificate comes from the tests' one CA.
    private static final HttpClient http = TestCa.TRUST.httpClient().build();

    @AfterAll
    static void closeHttp() {
        http.close();
    }

    private static HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(berth.endpoint() + path)).GET().build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String scrape() {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        return response.body();
    }

    /** The value of the sample with the name and (at least) the labels, or 0 when there is none. */
    private static double sample(String metrics, String name, Map<String, String> labels) {
        for (String line : metrics.lines().toList()) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            String series = line.substring(0, line.lastIndexOf(' '));
            if (labels.entrySet().stream().allMatch(l -> series.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static double calls(String operation, String code) {
        return sample(scrape(), "berth_requests_seconds_count",
                Map.of("service", "ecs", "operation", operation, "code", code));
    }

    @Test
    void metricsCountACreateClusterJustMadeByServiceOperationAndCode() {
        double before = calls("CreateCluster", "OK");

        ecs.createCluster(r -> r.clusterName("metered"));

        String metrics = scrape();
        assertThat(sample(metrics, "berth_requests_seconds_count",
                Map.of("service", "ecs", "operation", "CreateCluster", "code", "OK"))).isEqualTo(before + 1);
        assertThat(metrics).contains("berth_requests_seconds_bucket{")
                .containsPattern("berth_requests_seconds_bucket\\{[^}]*operation=\"CreateCluster\"[^}]*le=\"\\+Inf\"");
    }

    @Test
    void aRefusedCallIsCountedUnderItsErrorCode() {
        double before = calls("DeleteCluster", "ClusterNotFoundException");

        assertThatThrownBy(() -> ecs.deleteCluster(r -> r.cluster("never-created")))
                .isInstanceOf(ClusterNotFoundException.class);

        assertThat(calls("DeleteCluster", "ClusterNotFoundException")).isEqualTo(before + 1);
    }

    @Test
    void anUnsignedCallIsCountedWithoutTheOperationItNamed() {
        HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(berth.endpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.MadeUpOperationName")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());

        assertThat(refused.statusCode()).isBetween(400, 499);
        String metrics = scrape();
        assertThat(metrics).doesNotContain("MadeUpOperationName");
        assertThat(sample(metrics, "berth_requests_seconds_count", Map.of("service", "ecs", "operation", "unknown",
                "code", "MissingAuthenticationTokenException"))).isPositive();
    }

    @Test
    void placementsTasksByStatusAndStoreCommitsFollowARunTask() {
        ecs.createCluster(r -> r.clusterName("placed"));
        Instances.register(ecs, "placed");
        ecs.registerTaskDefinition(r -> r.family("counted").containerDefinitions(c -> c.name("web")
                .image("berth-test/busybox").memory(32)));
        String before = scrape();

        ecs.runTask(r -> r.cluster("placed").taskDefinition("counted").count(2));

        String after = scrape();
        assertThat(sample(after, "berth_placements_total", Map.of("launch_type", "EC2")))
                .isEqualTo(sample(before, "berth_placements_total", Map.of("launch_type", "EC2")) + 2);
        double waiting = sample(after, "berth_tasks", Map.of("status", "PROVISIONING"))
                + sample(after, "berth_tasks", Map.of("status", "PENDING"));
        assertThat(waiting).isGreaterThanOrEqualTo(2);
        assertThat(after).contains("berth_tasks{status=\"STOPPED\"}");
        assertThat(sample(after, "berth_store_commit_seconds_count", Map.of()))
                .isGreaterThan(sample(before, "berth_store_commit_seconds_count", Map.of()));
        assertThat(sample(after, "berth_store_commit_writes_sum", Map.of()))
                .isGreaterThan(sample(before, "berth_store_commit_writes_sum", Map.of()));
    }

    @Test
    void agentSessionsAreCountedWhileOpen() throws Exception {
        ecs.createCluster(r -> r.clusterName("sessions"));
        ContainerInstance instance = Instances.register(ecs, "sessions");
        double before = sample(scrape(), "berth_agent_sessions", Map.of());

        try (AgentSocket socket = AgentSocket.open(berth.endpoint(), berth.key(), RunningBerth.REGION,
                AgentSocket.acsQuery("sessions", instance.containerInstanceArn()))) {
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    sample(scrape(), "berth_agent_sessions", Map.of()) == before + 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sample(scrape(), "berth_agent_sessions", Map.of()) == before);
    }

    @Test
    void theJvmIsMeasured() {
        String metrics = scrape();

        assertThat(metrics).contains("jvm_memory_used_bytes{", "jvm_threads_live_threads", "process_uptime_seconds",
                "system_cpu_count", "jvm_gc_");
    }

    @Test
    void metricsNameNoAccountKeyOrResource() {
        ecs.createCluster(r -> r.clusterName("secretive-cluster-name"));

        String metrics = scrape();

        assertThat(metrics).doesNotContain(berth.accountId(), berth.key().accessKeyId(), "arn:",
                "secretive-cluster-name");
    }

    @Test
    void healthzAnswersUnsignedAndSaysNothingElse() {
        HttpResponse<String> health = get("/healthz");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
    }

    @Test
    void readyzAnswersUnsignedOnceTheStateIsLoaded() {
        HttpResponse<String> ready = get("/readyz");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready\n");
    }

    @Test
    void probesAnswerOnlyGet() {
        HttpResponse<String> posted = send(HttpRequest.newBuilder(URI.create(berth.endpoint() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("")).build());

        assertThat(posted.statusCode()).isNotEqualTo(200);
        assertThat(posted.body()).doesNotContain("berth_requests_seconds");
    }
}
