package io.berth.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's telemetry session: a signed websocket to the telemetry endpoint on which the agent publishes
 * its metrics and its instance status every 20 seconds, each frame preceded by its own signed headers.
 * What the server sends back (acks, heartbeats) is read and dropped.
 */
final class TelemetrySession {

    private static final Logger log = LoggerFactory.getLogger(TelemetrySession.class);
    private static final long PUBLISH_SECONDS = 20;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Shared shared;
    private final String cluster;
    private final String containerInstanceArn;
    private final String endpoint;
    private final Supplier<Set<String>> runningTasks;
    private WebSocket socket;
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
    private ScheduledFuture<?> publisher;
    private boolean closed;
    private long reconnectDelayMillis = 1000;

    TelemetrySession(Shared shared, String cluster, String containerInstanceArn, String endpoint,
            Supplier<Set<String>> runningTasks) {
        this.shared = shared;
        this.cluster = cluster;
        this.containerInstanceArn = containerInstanceArn;
        this.endpoint = endpoint;
        this.runningTasks = runningTasks;
    }

    void connect() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        Map<String, String> query = new TreeMap<>();
        query.put("agentHash", SimulatedAgent.AGENT_HASH);
        query.put("agentVersion", SimulatedAgent.AGENT_VERSION);
        query.put("cluster", cluster);
        query.put("containerInstance", containerInstanceArn);
        query.put("dockerVersion", SimulatedAgent.DOCKER_VERSION);
        URI uri = Signing.upgradeUri(endpoint, query);
        Signing.signedUpgrade(shared, uri).buildAsync(Signing.asWebSocket(uri), new Listener())
                .whenComplete((opened, failure) -> {
                    if (failure != null) {
                        log.debug("Telemetry connect of {} failed: {}", containerInstanceArn, failure.toString());
                        reconnect();
                    }
                });
    }

    /** Ends the session for good. */
    synchronized void close() {
        closed = true;
        drop();
    }

    private synchronized void opened(WebSocket webSocket) {
        if (closed) {
            webSocket.abort();
            return;
        }
        socket = webSocket;
        sending = CompletableFuture.completedFuture(null);
        reconnectDelayMillis = 1000;
        // The first publish within a second of connecting; a fleet's connections spread the rest over the period.
        long first = ThreadLocalRandom.current().nextLong(1000);
        publisher = shared.timers().scheduleAtFixedRate(this::publish, first, PUBLISH_SECONDS * 1000,
                TimeUnit.MILLISECONDS);
    }

    private synchronized void drop() {
        if (publisher != null) {
            publisher.cancel(false);
            publisher = null;
        }
        if (socket != null) {
            socket.abort();
            socket = null;
        }
    }

    private synchronized void lost(WebSocket webSocket) {
        if (socket == webSocket) {
            drop();
            reconnect();
        }
    }

    private synchronized void reconnect() {
        if (closed) {
            return;
        }
        long delay = reconnectDelayMillis;
        reconnectDelayMillis = Math.min(reconnectDelayMillis * 2, 60_000);
        shared.timers().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void publish() {
        double now = System.currentTimeMillis() / 1000.0;
        Set<String> running = runningTasks.get();
        ObjectNode metrics = JSON.objectNode();
        ObjectNode metadata = metrics.putObject("metadata");
        metadata.put("cluster", cluster).put("containerInstance", containerInstanceArn)
                .put("messageId", UUID.randomUUID().toString()).put("idle", running.isEmpty()).put("fin", true);
        ArrayNode taskMetrics = metrics.putArray("taskMetrics");
        running.forEach(arn -> taskMetrics.addObject().put("taskArn", arn).putArray("containerMetrics"));
        metrics.put("timestamp", now);
        send("PublishMetricsRequest", metrics);

        ObjectNode status = JSON.objectNode();
        status.putObject("metadata").put("cluster", cluster).put("containerInstance", containerInstanceArn)
                .put("requestId", UUID.randomUUID().toString());
        status.putArray("statuses").addObject().put("type", "ContainerRuntime").put("status", "OK")
                .put("lastUpdated", now).put("lastStatusChange", now);
        status.put("timestamp", now);
        send("PublishInstanceStatusRequest", status);
    }

    private void send(String type, ObjectNode message) {
        ObjectNode envelope = JSON.objectNode();
        envelope.put("type", type);
        envelope.set("message", message);
        String frame = Signing.signedFrame(shared, URI.create(endpoint), envelope.toString());
        synchronized (this) {
            WebSocket current = socket;
            if (current == null) {
                return;
            }
            sending = sending.handle((ok, failure) -> null).thenCompose(ignored -> current.sendText(frame, true));
        }
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public void onOpen(WebSocket webSocket) {
            opened(webSocket);
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            lost(webSocket);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            lost(webSocket);
        }
    }
}
