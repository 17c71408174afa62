package io.berth.server.acs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The latest instance status and container health each agent reported over telemetry. */
public final class Telemetry {

    private final Map<String, JsonNode> statuses = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> health = new ConcurrentHashMap<>();

    void recordStatus(String containerInstanceArn, JsonNode status) {
        statuses.put(containerInstanceArn, status);
    }

    void recordHealth(String containerInstanceArn, JsonNode report) {
        health.put(containerInstanceArn, report);
    }

    public Optional<JsonNode> latestStatus(String containerInstanceArn) {
        return Optional.ofNullable(statuses.get(containerInstanceArn));
    }

    public Optional<JsonNode> latestHealth(String containerInstanceArn) {
        return Optional.ofNullable(health.get(containerInstanceArn));
    }
}
