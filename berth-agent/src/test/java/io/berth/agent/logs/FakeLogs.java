package io.berth.agent.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The CloudWatch Logs operations the agent calls (CreateLogGroup, CreateLogStream, PutLogEvents), answered as AWS
 * answers them, PutLogEvents held to AWS's limits; it can be made to fail calls, as an outage or a refusal would.
 */
final class FakeLogs implements AutoCloseable {

    /** One event received. */
    record Event(long timestamp, String message) {
    }

    /** One PutLogEvents call taken. */
    record Put(String group, String stream, List<Event> events, String authorization) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Server server = new Server();
    private final Set<String> groups = ConcurrentHashMap.newKeySet();
    private final Map<String, List<Event>> streams = new ConcurrentHashMap<>();
    private final List<Put> puts = new CopyOnWriteArrayList<>();
    private final List<String> operations = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile String failureType = "ServiceUnavailableException";
    private volatile int failureStatus = 503;
    private volatile boolean down;

    FakeLogs() throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String target = request.getHeaders().get("X-Amz-Target");
                String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
                JsonNode body = json.readTree(Content.Source.asString(request, StandardCharsets.UTF_8));
                operations.add(operation);
                ObjectNode answer = answer(operation, body, request.getHeaders().get("Authorization"));
                response.setStatus(answer.has("__status") ? answer.remove("__status").asInt() : 200);
                response.getHeaders().put("Content-Type", "application/x-amz-json-1.1");
                response.write(true, ByteBuffer.wrap(json.writeValueAsBytes(answer)), callback);
                return true;
            }
        });
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    /** The next {@code count} calls fail with the given status and error code. */
    void failNext(int count, int status, String type) {
        failureStatus = status;
        failureType = type;
        failures.set(count);
    }

    /** Every call fails with 503 until told otherwise. */
    void down(boolean down) {
        this.down = down;
    }

    void createGroup(String group) {
        groups.add(group);
    }

    Set<String> groups() {
        return new HashSet<>(groups);
    }

    List<Event> events(String group, String stream) {
        return List.copyOf(streams.getOrDefault(group + "\n" + stream, List.of()));
    }

    List<String> messages(String group, String stream) {
        return events(group, stream).stream().map(Event::message).toList();
    }

    List<Put> puts() {
        return List.copyOf(puts);
    }

    List<String> operations() {
        return List.copyOf(operations);
    }

    private ObjectNode answer(String operation, JsonNode body, String authorization) {
        if (down) {
            return error(503, "ServiceUnavailableException", "The service is unavailable");
        }
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return error(failureStatus, failureType, "Failing on purpose");
        }
        String group = body.path("logGroupName").asText();
        String stream = body.path("logStreamName").asText();
        return switch (operation) {
            case "CreateLogGroup" -> groups.add(group) ? json.createObjectNode()
                    : error(400, "ResourceAlreadyExistsException", "The specified log group already exists");
            case "CreateLogStream" -> {
                if (!groups.contains(group)) {
                    yield error(400, "ResourceNotFoundException", "The specified log group does not exist.");
                }
                yield streams.putIfAbsent(group + "\n" + stream, new CopyOnWriteArrayList<>()) == null
                        ? json.createObjectNode()
                        : error(400, "ResourceAlreadyExistsException", "The specified log stream already exists");
            }
            case "PutLogEvents" -> put(group, stream, body.path("logEvents"), authorization);
            default -> error(400, "UnknownOperationException", operation);
        };
    }

    private ObjectNode put(String group, String stream, JsonNode logEvents, String authorization) {
        List<Event> events = streams.get(group + "\n" + stream);
        if (!groups.contains(group)) {
            return error(400, "ResourceNotFoundException", "The specified log group does not exist.");
        }
        if (events == null) {
            return error(400, "ResourceNotFoundException", "The specified log stream does not exist.");
        }
        List<Event> batch = new ArrayList<>();
        long bytes = 0;
        for (JsonNode event : logEvents) {
            String message = event.path("message").asText();
            bytes += message.getBytes(StandardCharsets.UTF_8).length + 26;
            if (message.isEmpty() || message.getBytes(StandardCharsets.UTF_8).length > 262_144 - 26) {
                return error(400, "InvalidParameterException", "Log event message size is out of bounds");
            }
            batch.add(new Event(event.path("timestamp").asLong(), message));
        }
        if (batch.isEmpty() || batch.size() > 10_000 || bytes > 1_048_576) {
            return error(400, "InvalidParameterException", "Upload too large or log events out of bounds");
        }
        for (int i = 1; i < batch.size(); i++) {
            if (batch.get(i).timestamp() < batch.get(i - 1).timestamp()) {
                return error(400, "InvalidParameterException",
                        "Log events in a single PutLogEvents request must be in chronological order.");
            }
        }
        if (batch.getLast().timestamp() - batch.getFirst().timestamp() > 24L * 3600 * 1000) {
            return error(400, "InvalidParameterException",
                    "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
        }
        events.addAll(batch);
        puts.add(new Put(group, stream, batch, authorization));
        ObjectNode answer = json.createObjectNode();
        answer.put("nextSequenceToken", Integer.toString(puts.size()));
        return answer;
    }

    private ObjectNode error(int status, String type, String message) {
        ObjectNode error = json.createObjectNode();
        error.put("__type", type);
        error.put("message", message);
        error.put("__status", status);
        return error;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
