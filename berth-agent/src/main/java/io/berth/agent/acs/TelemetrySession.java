package io.berth.agent.acs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.agent.engine.ContainerRecord;
import io.berth.agent.engine.HealthStatus;
import io.berth.agent.engine.Status;
import io.berth.agent.engine.TaskRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The agent's end of the telemetry (TCS) websocket: publishes the Docker health of every running container that has a
 * health check as a {@code PublishHealthRequest}, as soon as one changes and again every {@code publishInterval}.
 * Each frame is signed as the official agent signs it (see {@link UpgradeSigner#signedFrame}); the server's
 * heartbeats and acknowledgements keep the connection alive.
 */
public final class TelemetrySession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetrySession.class);
    public static final Duration PUBLISH_INTERVAL = Duration.ofSeconds(20);
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(500);

    /** One container's health as published: what decides whether something changed. */
    private record Published(String taskArn, String containerName, HealthStatus status) {
    }

    private final AcsSettings settings;
    private final Supplier<List<TaskRecord>> tasks;
    private final Duration publishInterval;
    private final AgentSocket socket;
    private final ObjectMapper json = new ObjectMapper();
    private final Object sleeper = new Object();
    private volatile boolean closed;
    private Thread publisher;

    /** @param tasks every task on this host, as the engine last saw it */
    public TelemetrySession(AcsSettings settings, SessionEndpoint telemetryEndpoint, AwsCredentialsProvider credentials,
            Supplier<List<TaskRecord>> tasks) {
        this(settings, telemetryEndpoint, credentials, tasks, PUBLISH_INTERVAL);
    }

    TelemetrySession(AcsSettings settings, SessionEndpoint telemetryEndpoint, AwsCredentialsProvider credentials,
            Supplier<List<TaskRecord>> tasks, Duration publishInterval) {
        this.settings = settings;
        this.tasks = tasks;
        this.publishInterval = publishInterval;
        this.socket = new AgentSocket("TCS", settings, telemetryEndpoint, credentials, new AgentSocket.Channel() {
            @Override
            public SortedMap<String, String> query() {
                return TelemetrySession.this.query();
            }

            @Override
            public boolean received(String frame) {
                return understood(frame);
            }
        });
    }

    public synchronized void start() {
        if (publisher == null) {
            socket.start();
            publisher = Thread.ofPlatform().daemon().name("tcs-publisher").start(this::publishLoop);
        }
    }

    /** Whether the telemetry websocket is open right now. */
    public boolean connected() {
        return socket.connected();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        socket.close();
    }

    /** The telemetry query names differ from ACS's: {@code cluster}, {@code containerInstance}, a bare Docker version. */
    private SortedMap<String, String> query() {
        TreeMap<String, String> query = new TreeMap<>();
        query.put("agentHash", settings.agentHash());
        query.put("agentVersion", settings.agentVersion());
        query.put("cluster", settings.cluster());
        query.put("containerInstance", settings.containerInstanceArn());
        query.put("dockerVersion", settings.dockerVersion());
        return query;
    }

    /** Heartbeats, acknowledgements and errors only show the server is there. */
    private boolean understood(String frame) {
        try {
            JsonNode envelope = json.readTree(frame);
            String type = envelope == null ? "" : envelope.path("type").asText("");
            if (type.endsWith("Exception") || type.equals("StopTelemetrySessionMessage")) {
                LOG.warn("TCS says {}: {}", type, envelope.path("message"));
            }
            return !type.isEmpty();
        } catch (IOException e) {
            LOG.warn("Dropping an undecodable TCS frame: {}", e.getMessage());
            return false;
        }
    }

    private void publishLoop() {
        List<Published> lastPublished = List.of();
        Instant lastPublishedAt = Instant.MIN;
        while (!closed) {
            try {
                List<TaskRecord> current = tasks.get();
                List<Published> health = healthOf(current);
                boolean due = !health.equals(lastPublished)
                        || Instant.now().isAfter(lastPublishedAt.plus(publishInterval));
                if (due && !health.isEmpty() && socket.connected()) {
                    socket.sendSigned(healthRequest(current).toString());
                    lastPublished = health;
                    lastPublishedAt = Instant.now();
                }
            } catch (RuntimeException e) {
                // a failed send is tried again at the next check, the connection being reopened meanwhile
                LOG.info("Cannot publish container health: {}", e.getMessage());
            }
            synchronized (sleeper) {
                if (closed) {
                    return;
                }
                try {
                    sleeper.wait(Math.min(CHECK_INTERVAL.toMillis(), publishInterval.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Containers running with a health check, in tasks not yet stopped. */
    private static List<ContainerRecord> checked(TaskRecord task) {
        if (task.knownStatus() == Status.STOPPED) {
            return List.of();
        }
        return task.containers().stream()
                .filter(c -> c.knownStatus() == Status.RUNNING && c.healthStatus() != null)
                .toList();
    }

    private static List<Published> healthOf(List<TaskRecord> tasks) {
        List<Published> health = new ArrayList<>();
        for (TaskRecord task : tasks) {
            for (ContainerRecord container : checked(task)) {
                health.add(new Published(task.arn(), container.name(), container.healthStatus()));
            }
        }
        return health;
    }

    /**
     * {@code PublishHealthRequest{metadata{cluster, containerInstance, messageId, fin}, tasks[]{taskArn, clusterArn,
     * taskDefinitionFamily, taskDefinitionVersion, containers[]{containerName, healthStatus, statusSince}},
     * timestamp}}, timestamps in epoch seconds.
     */
    private ObjectNode healthRequest(List<TaskRecord> current) {
        ObjectNode envelope = json.createObjectNode();
        envelope.put("type", "PublishHealthRequest");
        ObjectNode message = envelope.putObject("message");
        ObjectNode metadata = message.putObject("metadata");
        metadata.put("cluster", settings.cluster());
        metadata.put("containerInstance", settings.containerInstanceArn());
        metadata.put("messageId", UUID.randomUUID().toString());
        metadata.put("fin", true);
        ArrayNode taskList = message.putArray("tasks");
        for (TaskRecord task : current) {
            List<ContainerRecord> containers = checked(task);
            if (containers.isEmpty()) {
                continue;
            }
            ObjectNode entry = taskList.addObject();
            entry.put("taskArn", task.arn());
            entry.put("clusterArn", task.task().taskClusterArn() != null ? task.task().taskClusterArn()
                    : settings.cluster());
            entry.put("taskDefinitionFamily", task.task().family());
            entry.put("taskDefinitionVersion", task.task().version());
            ArrayNode containerList = entry.putArray("containers");
            for (ContainerRecord container : containers) {
                ObjectNode health = containerList.addObject();
                health.put("containerName", container.name());
                health.put("healthStatus", container.healthStatus().name());
                if (container.healthSince() != null) {
                    health.put("statusSince", epochSeconds(container.healthSince()));
                }
            }
        }
        message.put("timestamp", epochSeconds(Instant.now()));
        return envelope;
    }

    private static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
    }
}
