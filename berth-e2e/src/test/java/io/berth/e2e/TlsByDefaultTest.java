package io.berth.e2e;

import static io.berth.e2e.TaskWaits.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * {@code berth server} as an operator starts it, with nothing said about TLS: HTTPS and WSS at its port with the CA
 * it created in its data directory, which the aws CLI, boto3, the SDK and Berth's agent trust through
 * {@code AWS_CA_BUNDLE} or {@code --ca-bundle}; without it they refuse the server, and plain HTTP gets no answer.
 */
class TlsByDefaultTest {

    private static final Duration SOON = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static Path data;
    static BerthProcess server;
    static EcsClient ecs;

    @BeforeAll
    static void start() {
        data = dir.resolve("server");
        server = BerthProcess.start(data);
        ecs = BerthProcess.client(data, server.port());
    }

    @AfterAll
    static void stop() {
        if (ecs != null) {
            ecs.close();
        }
        if (server != null) {
            server.kill();
        }
    }

    @Test
    void theServerListensOnHttpsAndPrintsTheCaBundleForTheAwsTools() {
        assertThat(server.output())
                .contains("Berth is listening on https://127.0.0.1:" + server.port())
                .contains("export AWS_CA_BUNDLE=" + data.toAbsolutePath().resolve("ca.pem"));
    }

    @Test
    void theSdkWorksOverHttpsTrustingTheCa() {
        ecs.createCluster(r -> r.clusterName("sdk-over-tls"));

        assertThat(ecs.describeClusters(r -> r.clusters("sdk-over-tls")).clusters().getFirst().status())
                .isEqualTo("ACTIVE");
    }

    @Test
    void theSdkRefusesTheServerWithoutItsCa() {
        try (EcsClient untrusting = EcsClient.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .region(Region.of(RunningBerth.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(BerthProcess.credentials(data)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build()) {
            assertThatThrownBy(untrusting::listClusters).isInstanceOf(SdkClientException.class)
                    .hasStackTraceContaining("certification path");
        }
    }

    @Test
    void theAwsCliWorksOverHttpsWithAwsCaBundle() throws Exception {
        Commands.assumeAwsCli("the aws CLI over HTTPS");

        Commands.Result created = aws(true, "ecs", "create-cluster", "--cluster-name", "cli-over-tls");

        assertThat(created.exitCode()).as(created.output()).isZero();
        assertThat(created.output()).contains("cli-over-tls");
        assertThat(ecs.describeClusters(r -> r.clusters("cli-over-tls")).clusters()).hasSize(1);
    }

    @Test
    void theAwsCliRefusesTheServerWithoutAwsCaBundle() throws Exception {
        Commands.assumeAwsCli("the aws CLI over HTTPS");

        Commands.Result refused = aws(false, "ecs", "list-clusters");

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("SSL validation failed");
    }

    @Test
    void boto3WorksOverHttpsWithAwsCaBundle() throws Exception {
        boolean installed = Commands.run(Map.of(), Duration.ofMinutes(1), "python3", "-c", "import boto3")
                .exitCode() == 0;
        Assumptions.assumeTrue(installed, "boto3 is not installed");
        String script = """
                import os, boto3
                ecs = boto3.client("ecs", endpoint_url=os.environ["ENDPOINT"])
                print(ecs.create_cluster(clusterName="boto3-over-tls")["cluster"]["status"])
                """;

        Commands.Result result = Commands.run(toolEnvironment(true), Duration.ofMinutes(1), "python3", "-c", script);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("ACTIVE");
    }

    @Test
    void plainHttpToTheHttpsPortGetsNoHttpAnswer() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                    .timeout(Duration.ofSeconds(10)).GET().build();
            assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /_berth/leader HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(new String(in.readNBytes(5), StandardCharsets.ISO_8859_1)).doesNotStartWith("HTTP");
        }
    }

    @Test
    void berthsAgentJoinsOverWssTrustingTheCaBundle() {
        DockerHost.requireDocker();
        ecs.createCluster(r -> r.clusterName("wss"));
        BerthProcess agent = BerthProcess.agent(server.endpoint(), data.resolve("credentials"),
                BerthProcess.caBundle(data), dir.resolve("agent"), "--cluster", "wss");
        try {
            await().atMost(SOON).alias("the agent's ACS session over WSS")
                    .until(() -> instance(ecs, "wss", agent.containerInstanceArn()).agentConnected());
        } finally {
            agent.kill();
        }
    }

    @Test
    void berthsAgentRefusesAServerItDoesNotTrust() {
        DockerHost.requireDocker();

        Commands.Result refused = BerthProcess.runCommand(Duration.ofMinutes(2), "agent",
                "--endpoint", server.endpoint(), "--credentials-file", data.resolve("credentials").toString(),
                "--data-dir", dir.resolve("untrusting-agent").toString(), "--cluster", "untrusting");

        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("certification path");
        assertThat(ecs.listClusters().clusterArns()).noneMatch(arn -> arn.endsWith("/untrusting"));
    }

    /** Runs the aws CLI against the server with the server's first key and no configuration of the machine's. */
    private static Commands.Result aws(boolean trustingTheCa, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", server.endpoint(), "--output", "text"));
        command.addAll(List.of(arguments));
        return Commands.run(toolEnvironment(trustingTheCa), Duration.ofMinutes(2), command.toArray(String[]::new));
    }

    private static Map<String, String> toolEnvironment(boolean trustingTheCa) {
        AwsBasicCredentials key = BerthProcess.credentials(data);
        Map<String, String> env = new HashMap<>();
        env.put("ENDPOINT", server.endpoint());
        env.put("AWS_ACCESS_KEY_ID", key.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", key.secretAccessKey());
        env.put("AWS_DEFAULT_REGION", RunningBerth.REGION);
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_PROFILE", null);
        env.put("AWS_SESSION_TOKEN", null);
        env.put("AWS_CA_BUNDLE", trustingTheCa ? BerthProcess.caBundle(data).toAbsolutePath().toString() : null);
        return env;
    }
}
