package io.berth.agent.acs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.model.acs.AcsCodec;
import io.berth.model.acs.AcsMessage;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A minimal ACS and telemetry endpoint for tests: verifies each upgrade's SigV4 signature on its own (independently
 * of the SDK signer), records the upgrade query, and lets the test push messages and read what the agent sent. An
 * upgrade naming {@code containerInstance} (not {@code containerInstanceArn}) opens a telemetry session, whose frames
 * (signed headers, a blank line, JSON) are kept apart with their own signature checked.
 */
public final class FakeAcs implements AutoCloseable {

    /** One upgrade attempt: its decoded query, its Authorization header and whether its signature held. */
    public record Upgrade(Map<String, String> query, String authorization, boolean signatureValid) {
    }

    /** One telemetry frame: its header lines, its JSON and whether its signature over that JSON held. */
    public record TelemetryFrame(Map<String, String> headers, JsonNode body, boolean signatureValid) {

        public String type() {
            return body.path("type").asText();
        }
    }

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final AcsCodec codec = new AcsCodec();
    private final String secretKey;
    private final Server server = new Server();
    private final List<Upgrade> upgrades = new CopyOnWriteArrayList<>();
    private final BlockingQueue<AcsMessage> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<TelemetryFrame> telemetry = new LinkedBlockingQueue<>();
    private final ObjectMapper json = new ObjectMapper();
    private volatile Session session;
    private volatile Session telemetrySession;
    private volatile String refusal;

    public FakeAcs(String secretKey) throws Exception {
        this.secretKey = secretKey;
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        context.setHandler(WebSocketUpgradeHandler.from(server, context,
                container -> container.addMapping("/ws", this::upgrade)));
        server.setHandler(context);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Refuse further upgrades with HTTP 400 and this JSON body (null to accept again). */
    public void refuseWith(String body) {
        refusal = body;
    }

    public List<Upgrade> upgrades() {
        return List.copyOf(upgrades);
    }

    public void send(AcsMessage message) {
        session.sendText(codec.write(message), Callback.NOOP);
    }

    public boolean hasSession() {
        Session current = session;
        return current != null && current.isOpen();
    }

    public void dropConnection() {
        session.close(1001, "going away", Callback.NOOP);
    }

    public boolean hasTelemetrySession() {
        Session current = telemetrySession;
        return current != null && current.isOpen();
    }

    /** Sends a raw JSON frame on the telemetry session. */
    public void sendTelemetry(String frame) {
        telemetrySession.sendText(frame, Callback.NOOP);
    }

    public void dropTelemetryConnection() {
        telemetrySession.close(1001, "going away", Callback.NOOP);
    }

    /** The next telemetry frame of the given type, skipping others, waiting up to {@code seconds}. */
    public TelemetryFrame nextTelemetry(String type, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            TelemetryFrame frame = telemetry.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (frame != null && frame.type().equals(type)) {
                return frame;
            }
        }
        throw new AssertionError("The agent sent no " + type + " within " + seconds + " seconds");
    }

    /** The telemetry frame sent within the given time, if any. */
    public TelemetryFrame pollTelemetry(long millis) throws InterruptedException {
        return telemetry.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** The next message the agent sent, waiting up to ten seconds. */
    public AcsMessage next() throws InterruptedException {
        AcsMessage message = received.poll(10, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("The agent sent nothing within ten seconds");
        }
        return message;
    }

    /** What the agent sent within the given time, if anything. */
    public AcsMessage poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    private Object upgrade(ServerUpgradeRequest request, ServerUpgradeResponse response,
            org.eclipse.jetty.util.Callback callback) throws Exception {
        Map<String, String> query = decode(request.getHttpURI().getQuery());
        String authorization = request.getHeaders().get("Authorization");
        boolean valid = verify(query, request.getHeaders().get("Host"), request.getHeaders().get("X-Amz-Date"),
                authorization, EMPTY_SHA256);
        upgrades.add(new Upgrade(query, authorization, valid));
        String refused = refusal;
        if (refused != null || !valid) {
            String body = refused != null ? refused
                    : "{\"type\":\"AccessDeniedException\",\"message\":{\"message\":\"bad signature\"}}";
            response.setStatus(400);
            response.getHeaders().put("Content-Type", "application/json");
            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
            return null;
        }
        return query.containsKey("containerInstance") ? new TelemetryEndpoint(query) : new Endpoint();
    }

    @WebSocket
    public final class TelemetryEndpoint {
        private final Map<String, String> query;

        TelemetryEndpoint(Map<String, String> query) {
            this.query = query;
        }

        @OnWebSocketOpen
        public void open(Session opened) {
            telemetrySession = opened;
        }

        @OnWebSocketMessage
        public void message(String text) throws Exception {
            int split = text.indexOf("\r\n\r\n");
            Map<String, String> headers = new TreeMap<>();
            for (String line : text.substring(0, Math.max(0, split)).split("\r\n")) {
                String[] parts = line.split(": ", 2);
                if (parts.length == 2) {
                    headers.put(parts[0], parts[1]);
                }
            }
            String body = split < 0 ? text : text.substring(split + 4);
            boolean valid = split >= 0 && verify(query, headers.get("Host"), headers.get("X-Amz-Date"),
                    headers.get("Authorization"), hex(MessageDigest.getInstance("SHA-256")
                            .digest(body.getBytes(StandardCharsets.UTF_8))));
            telemetry.add(new TelemetryFrame(headers, json.readTree(body), valid));
        }
    }

    @WebSocket
    public final class Endpoint {
        @OnWebSocketOpen
        public void open(Session opened) {
            session = opened;
        }

        @OnWebSocketMessage
        public void message(String text) {
            received.add(codec.read(text));
        }
    }

    private static Map<String, String> decode(String rawQuery) {
        Map<String, String> query = new TreeMap<>();
        if (rawQuery == null) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            String[] parts = pair.split("=", 2);
            query.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
        }
        return query;
    }

    /** SigV4 for GET /ws, signed headers host;x-amz-date, service ecs, over a payload of the given hash. */
    private boolean verify(Map<String, String> query, String host, String amzDate, String authorization,
            String payloadSha256) {
        if (authorization == null || amzDate == null) {
            return false;
        }
        try {
            String credential = part(authorization, "Credential=");
            String signedHeaders = part(authorization, "SignedHeaders=");
            String signature = part(authorization, "Signature=");
            String[] scope = credential.split("/", 2)[1].split("/");
            if (!signedHeaders.equals("host;x-amz-date") || !scope[2].equals("ecs")) {
                return false;
            }
            List<String> canonicalQuery = new ArrayList<>();
            query.forEach((key, value) -> canonicalQuery.add(encode(key) + "=" + encode(value)));
            canonicalQuery.sort(null);
            String canonicalRequest = "GET\n/ws\n" + String.join("&", canonicalQuery) + "\nhost:" + host
                    + "\nx-amz-date:" + amzDate + "\n\nhost;x-amz-date\n" + payloadSha256;
            String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + String.join("/", scope) + "\n"
                    + hex(MessageDigest.getInstance("SHA-256").digest(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
            byte[] key = ("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8);
            for (String element : scope) {
                key = hmac(key, element);
            }
            return hex(hmac(key, stringToSign)).equals(signature);
        } catch (Exception e) {
            return false;
        }
    }

    private static String part(String authorization, String name) {
        int start = authorization.indexOf(name) + name.length();
        int end = authorization.indexOf(',', start);
        return (end < 0 ? authorization.substring(start) : authorization.substring(start, end)).trim();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
