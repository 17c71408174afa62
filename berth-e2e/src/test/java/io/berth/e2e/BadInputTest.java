package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Requests no SDK would send. Each must be answered with a 4xx AWS JSON error, never a server
 * fault, and must change nothing.
 */
class BadInputTest {

    private static final String CREATE_CLUSTER = SignedHttp.TARGET_PREFIX + "CreateCluster";

    @TempDir
    static Path dataDir;
    static RunningBerth berth;
    static EcsClient ecs;
    static SignedHttp http;
    private String clustersBefore;

    @BeforeAll
    static void start() {
        berth = RunningBerth.start(dataDir);
        ecs = berth.ecs();
        http = new SignedHttp(berth.endpoint());
        ecs.createCluster(r -> r.clusterName("bad-input-existing"));
    }

    @AfterAll
    static void stop() {
        ecs.close();
        berth.close();
    }

    @BeforeEach
    void rememberClusters() {
        clustersBefore = clusters();
    }

    @AfterEach
    void nothingChanged() {
        assertThat(clusters()).isEqualTo(clustersBefore);
    }

    @Test
    void malformedJsonIsASerializationError() {
        assertClientError(signed(SignedHttp.Call.ecs(CREATE_CLUSTER, "{\"clusterName\": \"half")),
                "SerializationException");
        assertClientError(signed(SignedHttp.Call.ecs(CREATE_CLUSTER, "{\"clusterName\": \"x\"} trailing")),
                "SerializationException");
        assertClientError(signed(SignedHttp.Call.ecs(CREATE_CLUSTER, "[]")), "SerializationException");
        assertClientError(signed(SignedHttp.Call.ecs(CREATE_CLUSTER,
                "{\"unknown\": " + "[".repeat(5000) + "]".repeat(5000) + "}")), "SerializationException");
    }

    @Test
    void bytesThatAreNotUtf8AreASerializationError() {
        byte[] body = "{\"clusterName\": \"\u0000\"}".getBytes(StandardCharsets.UTF_8);
        body[body.length - 3] = (byte) 0xC3;
        assertClientError(signed(SignedHttp.Call.ecs(CREATE_CLUSTER, body)), "SerializationException");
        assertClientError(signed(SignedHttp.Call.ecs(CREATE_CLUSTER, new byte[] {0, 0, 0, '{'})),
                "SerializationException");
    }

    @Test
    void aBrokenUnicodeEncodingIsASerializationErrorOnEveryJsonService() {
        byte[] brokenUtf32 = {0, 0, 0, '{', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, '}'};
        Map<String, String> targets = Map.of("ecs", CREATE_CLUSTER, "logs", "Logs_20140328.CreateLogGroup",
                "ssm", "AmazonSSM.PutParameter", "secretsmanager", "secretsmanager.CreateSecret");
        targets.forEach((service, target) -> assertClientError(http.signed(SignedHttp.Call.ecs(target, brokenUtf32),
                service, berth.key().accessKeyId(), berth.key().secretAccessKey(), RunningBerth.REGION,
                java.time.Clock.systemUTC()), "SerializationException"));
    }

    @Test
    void timestampsBeyondAnyInstantAreRefusedWithAShortAnswer() {
        SignedHttp.Answer stateChange = signed(SignedHttp.Call.ecs(SignedHttp.TARGET_PREFIX + "SubmitTaskStateChange",
                "{\"cluster\":\"x\",\"task\":\"x\",\"pullStartedAt\":1e99999999}"));
        SignedHttp.Answer deployments = signed(SignedHttp.Call.ecs(SignedHttp.TARGET_PREFIX
                + "ListServiceDeployments", "{\"cluster\":\"x\",\"service\":\"x\","
                + "\"createdAt\":{\"after\":-1e99999999,\"before\":1e99999999}}"));

        for (SignedHttp.Answer answer : List.of(stateChange, deployments)) {
            assertClientError(answer, "SerializationException");
            assertThat(answer.body()).hasSizeLessThan(300);
        }
    }

    @Test
    void membersOfTheWrongTypeAreASerializationError() {
        assertClientError(signed(SignedHttp.Call.ecs(CREATE_CLUSTER, "{\"clusterName\": 42}")),
                "SerializationException");
        assertClientError(signed(SignedHttp.Call.ecs(CREATE_CLUSTER, "{\"clusterName\": \"t\", \"tags\": {}}")),
                "SerializationException");
        assertClientError(signed(SignedHttp.Call.ecs(SignedHttp.TARGET_PREFIX + "ListClusters",
                "{\"maxResults\": \"ten\"}")), "SerializationException");
        assertClientError(signed(SignedHttp.Call.ecs(SignedHttp.TARGET_PREFIX + "ListClusters",
                "{\"maxResults\": 1e40}")), "SerializationException");
        assertClientError(signed(SignedHttp.Call.ecs(SignedHttp.TARGET_PREFIX + "ListClusters",
                "{\"maxResults\": 99999999999}")), "SerializationException");
    }

    @Test
    void unknownTargetsAreUnknownOperations() {
        assertClientError(signed(SignedHttp.Call.ecs(SignedHttp.TARGET_PREFIX + "LaunchRockets", "{}")),
                "UnknownOperationException");
        assertClientError(signed(SignedHttp.Call.ecs(SignedHttp.TARGET_PREFIX, "{}")), "UnknownOperationException");
        assertClientError(signed(SignedHttp.Call.ecs(null, "{}")), "UnknownOperationException");
    }

    @Test
    void targetsOfOtherServicesAreUnknownOperations() {
        assertClientError(signed(SignedHttp.Call.ecs("DynamoDB_20120810.ListTables", "{}")),
                "UnknownOperationException");
        assertClientError(signed(SignedHttp.Call.ecs("AmazonEC2ContainerServiceV20141113", "{}")),
                "UnknownOperationException");
    }

    @Test
    void getIsNotAnOperation() {
        assertClientError(signed(SignedHttp.Call.ecs(SignedHttp.TARGET_PREFIX + "ListClusters", "")
                .withMethod("GET")), "UnknownOperationException");
    }

    @Test
    void bodiesOverOneMebibyteAreRefused() {
        byte[] body = new byte[(1 << 20) + 16];
        Arrays.fill(body, (byte) ' ');
        byte[] json = "{\"clusterName\":\"huge\"}".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(json, 0, body, 0, json.length);

        SignedHttp.Answer answer = signed(SignedHttp.Call.ecs(CREATE_CLUSTER, body));

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.errorType()).isEqualTo("SerializationException");
        assertThat(answer.json().get("message").asText()).isNotBlank();
    }

    @Test
    void pathsWithoutAnEndpointAreUnknownOperations() {
        assertClientError(signed(SignedHttp.Call.ecs(SignedHttp.TARGET_PREFIX + "ListClusters", "{}")
                .withPath("/nothing/here")), "UnknownOperationException");
    }

    @Test
    void aUriThatCannotBeDecodedIsAClientError() throws IOException {
        String date = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                .format(Instant.now());
        String authorization = "AWS4-HMAC-SHA256 Credential=" + berth.key().accessKeyId() + "/"
                + date.substring(0, 8) + "/us-east-1/ecs/aws4_request, SignedHeaders=host;x-amz-date, Signature=00";

        assertClientError(raw("/?name=%ZZ", "X-Amz-Date: " + date, "Authorization: " + authorization),
                "InvalidSignatureException");
        assertClientError(raw("/services%2FContainer"), "SerializationException");
    }

    /** A POST of {} to the path with these headers, written by hand: the JDK client refuses such URIs. */
    private static SignedHttp.Answer raw(String path, String... headers) throws IOException {
        URI endpoint = URI.create(berth.endpoint());
        try (Socket socket = "https".equals(endpoint.getScheme())
                ? berth.trust().sslContext().getSocketFactory().createSocket(endpoint.getHost(), endpoint.getPort())
                : new Socket(endpoint.getHost(), endpoint.getPort())) {
            StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\n")
                    .append("Host: ").append(endpoint.getAuthority()).append("\r\n")
                    .append("Content-Type: application/x-amz-json-1.1\r\n")
                    .append("X-Amz-Target: ").append(SignedHttp.TARGET_PREFIX).append("ListClusters\r\n")
                    .append("Content-Length: 2\r\nConnection: close\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            request.append("\r\n{}");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            String[] response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .split("\r\n\r\n", 2);
            String[] lines = response[0].split("\r\n");
            Map<String, List<String>> answerHeaders = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                answerHeaders.put(lines[i].substring(0, colon).trim(), List.of(lines[i].substring(colon + 1).trim()));
            }
            return new SignedHttp.Answer(Integer.parseInt(lines[0].split(" ")[1]), answerHeaders, response[1]);
        }
    }

    private static SignedHttp.Answer signed(SignedHttp.Call call) {
        return http.signed(call, berth.key().accessKeyId(), berth.key().secretAccessKey(), RunningBerth.REGION);
    }

    private static void assertClientError(SignedHttp.Answer answer, String code) {
        assertThat(answer.status()).as(answer.body()).isBetween(400, 499);
        assertThat(answer.errorType()).as(answer.body()).isEqualTo(code);
        assertThat(answer.json().get("message").asText()).isNotBlank();
        assertThat(answer.header("x-amzn-ErrorType")).isEqualTo(code);
        assertThat(answer.header("x-amzn-RequestId")).isNotBlank();
    }

    private static String clusters() {
        return ecs.listClusters().clusterArns().toString();
    }
}
