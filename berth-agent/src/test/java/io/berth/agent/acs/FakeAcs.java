package io.berth.agent.acs;

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
 * A minimal ACS endpoint for tests: verifies each upgrade's SigV4 signature on its own (independently of the
 * SDK signer), records the upgrade query, and lets the test push messages and read what the agent sent.
 */
public final class FakeAcs implements AutoCloseable {

    /** One upgrade attempt: its decoded query, its Authorization header and whether its signature held. */
    public record Upgrade(Map<String, String> query, String authorization, boolean signatureValid) {
    }

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final AcsCodec codec = new AcsCodec();
    private final String secretKey;
    private final Server server = new Server();
    private final List<Upgrade> upgrades = new CopyOnWriteArrayList<>();
    private final BlockingQueue<AcsMessage> received = new LinkedBlockingQueue<>();
    private volatile Session session;
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
                authorization);
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
        return new Endpoint();
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

    /** SigV4 for GET /ws, signed headers host;x-amz-date, empty payload, service ecs. */
    private boolean verify(Map<String, String> query, String host, String amzDate, String authorization) {
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
                    + "\nx-amz-date:" + amzDate + "\n\nhost;x-amz-date\n" + EMPTY_SHA256;
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
