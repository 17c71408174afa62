package io.berth.e2e;

import io.berth.control.iam.AccessKey;
import io.berth.model.acs.AcsCodec;
import io.berth.model.acs.AcsMessage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The agent's side of an ACS or telemetry websocket, as the official agent opens it: a SigV4-signed
 * GET of {@code /ws} with its query parameters, then JSON frames both ways.
 */
final class AgentSocket implements AutoCloseable {

    private final WebSocket socket;
    private final BlockingQueue<String> received;
    private final AcsCodec codec = new AcsCodec();

    private AgentSocket(WebSocket socket, BlockingQueue<String> received) {
        this.socket = socket;
        this.received = received;
    }

    /** The query an agent sends when it opens its ACS session. */
    static Map<String, String> acsQuery(String cluster, String containerInstanceArn) {
        Map<String, String> query = new TreeMap<>();
        query.put("agentHash", "4023248c");
        query.put("agentVersion", "1.89.1");
        query.put("clusterArn", cluster);
        query.put("containerInstanceArn", containerInstanceArn);
        query.put("dockerVersion", "DockerVersion: 20.10.24+dfsg1");
        query.put("protocolVersion", "2");
        query.put("sendCredentials", "true");
        query.put("seqNum", "1");
        return query;
    }

    /** The query an agent sends when it opens its telemetry session. */
    static Map<String, String> telemetryQuery(String cluster, String containerInstanceArn) {
        Map<String, String> query = new TreeMap<>();
        query.put("agentHash", "4023248c");
        query.put("agentVersion", "1.89.1");
        query.put("cluster", cluster);
        query.put("containerInstance", containerInstanceArn);
        query.put("dockerVersion", "20.10.24+dfsg1");
        return query;
    }

    /**
     * A telemetry frame as the agent sends it: the header block of a SigV4-signed request over the JSON, a blank
     * line, then the JSON.
     */
    static String telemetryFrame(String endpoint, AccessKey key, String region, String json) {
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create(endpoint + "/ws")).build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.request(unsigned)
                .payload(ContentStreamProvider.fromUtf8String(json))
                .identity(AwsCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ecs")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
        StringBuilder frame = new StringBuilder();
        for (String header : List.of("Authorization", "Host", "X-Amz-Date")) {
            frame.append(header).append(": ").append(signed.firstMatchingHeader(header).orElseThrow()).append("\r\n");
        }
        return frame.append("\r\n").append(json).toString();
    }

    static AgentSocket open(String endpoint, AccessKey key, String region, Map<String, String> query) throws Exception {
        URI uri = URI.create(endpoint.replaceFirst("^http", "ws") + "/ws?" + encode(query));
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create(endpoint + "/ws?" + encode(query)))
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .request(unsigned)
                .identity(AwsCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ecs")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region))
                .request();
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket.Builder builder = TestCa.TRUST.httpClient().build().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10));
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                builder.header(name, values.get(0));
            }
        });
        WebSocket socket = builder.buildAsync(uri, new Collector(received)).get(10, TimeUnit.SECONDS);
        return new AgentSocket(socket, received);
    }

    /** The next frame from the server, decoded, or null if none comes in time. */
    AcsMessage next(Duration timeout) throws InterruptedException {
        String frame = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return frame == null ? null : codec.read(frame);
    }

    /** The next frame of the given type, skipping others (heartbeats, manifests). */
    <T extends AcsMessage> T next(Class<T> type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            AcsMessage message = next(Duration.ofNanos(deadline - System.nanoTime()));
            if (type.isInstance(message)) {
                return type.cast(message);
            }
        }
        return null;
    }

    void send(AcsMessage message) {
        sendRaw(codec.write(message));
    }

    void sendRaw(String frame) {
        socket.sendText(frame, true).join();
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }

    private static String encode(Map<String, String> query) {
        return query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"));
    }

    private record Collector(BlockingQueue<String> received) implements WebSocket.Listener {
        private static final ThreadLocal<StringBuilder> PARTS = ThreadLocal.withInitial(StringBuilder::new);

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            StringBuilder parts = PARTS.get();
            parts.append(data);
            if (last) {
                received.add(parts.toString());
                parts.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
