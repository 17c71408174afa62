package io.berth.server.acs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.model.Ids;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's telemetry session. Agent frames are a signed header block, a blank line, then the
 * JSON envelope; each publish is acknowledged, and the latest instance status and container
 * health are kept for the instance.
 */
public final class TcsSession implements Session.Listener.AutoDemanding {

    private static final Logger log = LoggerFactory.getLogger(TcsSession.class);
    private static final String HEADER_END = "\r\n\r\n";

    private final AcsSessions sessions;
    private final ObjectMapper json;
    private final String containerInstanceArn;
    private final Consumer<JsonNode> healthReports;
    private volatile Outbox outbox;

    /** @param healthReports takes each published health report, for the tasks' health status */
    TcsSession(AcsSessions sessions, ObjectMapper json, String containerInstanceArn, Consumer<JsonNode> healthReports) {
        this.sessions = sessions;
        this.json = json;
        this.containerInstanceArn = containerInstanceArn;
        this.healthReports = healthReports;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        outbox = new Outbox(session);
        sessions.telemetryOpened(this);
    }

    @Override
    public void onWebSocketText(String frame) {
        int split = frame.indexOf(HEADER_END);
        String body = split < 0 ? frame : frame.substring(split + HEADER_END.length());
        JsonNode envelope;
        try {
            envelope = json.readTree(body);
        } catch (java.io.IOException e) {
            log.debug("Ignoring an undecodable telemetry frame from {}", containerInstanceArn);
            return;
        }
        String type = envelope.path("type").asText("");
        JsonNode message = envelope.path("message");
        switch (type) {
            case "PublishMetricsRequest" -> acknowledge("AckPublishMetric");
            case "PublishHealthRequest" -> {
                sessions.telemetry().recordHealth(containerInstanceArn, message);
                try {
                    healthReports.accept(message);
                } catch (RuntimeException e) {
                    log.warn("Recording the task health published by {} failed", containerInstanceArn, e);
                }
                acknowledge("AckPublishHealth");
            }
            case "PublishInstanceStatusRequest" -> {
                sessions.telemetry().recordStatus(containerInstanceArn, message);
                acknowledge("AckPublishInstanceStatus");
            }
            default -> log.debug("Ignoring telemetry message {} from {}", type, containerInstanceArn);
        }
    }

    /** Ends the session, as the node it reached no longer answers agents. */
    void goAway(String reason) {
        Outbox current = outbox;
        if (current != null) {
            current.goAway(reason);
        }
    }

    void heartbeat() {
        if (outbox != null) {
            ObjectNode frame = json.createObjectNode();
            frame.put("type", "HeartbeatMessage");
            frame.putObject("message").put("healthy", true).put("messageId", Ids.uuid());
            outbox.send(frame.toString());
        }
    }

    private void acknowledge(String type) {
        ObjectNode frame = json.createObjectNode();
        frame.put("type", type);
        frame.putObject("message").put("message", "ok");
        outbox.send(frame.toString());
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, org.eclipse.jetty.websocket.api.Callback callback) {
        sessions.telemetryClosed(this);
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        sessions.telemetryClosed(this);
    }
}
