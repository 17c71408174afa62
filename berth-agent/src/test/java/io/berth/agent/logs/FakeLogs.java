package io.berth.agent.logs;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.agent.FakeJsonService;
import io.berth.agent.FakeJsonService.Answer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CloudWatch Logs operations the agent calls (CreateLogGroup, CreateLogStream, PutLogEvents), answered as AWS
 * answers them, PutLogEvents held to AWS's limits; it can be made to fail calls, as an outage or a refusal would.
 */
public final class FakeLogs implements AutoCloseable {

    /** One event received. */
    public record Event(long timestamp, String message) {
    }

    /** One PutLogEvents call taken. */
    public record Put(String group, String stream, List<Event> events, String authorization) {
    }

    private final Set<String> groups = ConcurrentHashMap.newKeySet();
    private final Map<String, List<Event>> streams = new ConcurrentHashMap<>();
    private final List<Put> puts = new CopyOnWriteArrayList<>();
    private final List<String> operations = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final FakeJsonService service;
    private volatile String failureType = "ServiceUnavailableException";
    private volatile int failureStatus = 503;
    private volatile boolean down;

    public FakeLogs() throws Exception {
        service = new FakeJsonService(call -> {
            operations.add(call.operation());
            return answer(call.operation(), call.body(), call.authorization());
        });
    }

    public URI endpoint() {
        return service.endpoint();
    }

    /** The next {@code count} calls fail with the given status and error code. */
    public void failNext(int count, int status, String type) {
        failureStatus = status;
        failureType = type;
        failures.set(count);
    }

    /** Every call fails with 503 until told otherwise. */
    public void down(boolean down) {
        this.down = down;
    }

    public void createGroup(String group) {
        groups.add(group);
    }

    public Set<String> groups() {
        return new HashSet<>(groups);
    }

    public List<Event> events(String group, String stream) {
        return List.copyOf(streams.getOrDefault(group + "\n" + stream, List.of()));
    }

    public List<String> messages(String group, String stream) {
        return events(group, stream).stream().map(Event::message).toList();
    }

    public List<Put> puts() {
        return List.copyOf(puts);
    }

    public List<String> operations() {
        return List.copyOf(operations);
    }

    private Answer answer(String operation, JsonNode body, String authorization) {
        if (down) {
            return error(503, "ServiceUnavailableException", "The service is unavailable");
        }
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return error(failureStatus, failureType, "Failing on purpose");
        }
        String group = body.path("logGroupName").asText();
        String stream = body.path("logStreamName").asText();
        return switch (operation) {
            case "CreateLogGroup" -> groups.add(group) ? Answer.ok(FakeJsonService.JSON.createObjectNode())
                    : error(400, "ResourceAlreadyExistsException", "The specified log group already exists");
            case "CreateLogStream" -> {
                if (!groups.contains(group)) {
                    yield error(400, "ResourceNotFoundException", "The specified log group does not exist.");
                }
                yield streams.putIfAbsent(group + "\n" + stream, new CopyOnWriteArrayList<>()) == null
                        ? Answer.ok(FakeJsonService.JSON.createObjectNode())
                        : error(400, "ResourceAlreadyExistsException", "The specified log stream already exists");
            }
            case "PutLogEvents" -> put(group, stream, body.path("logEvents"), authorization);
            default -> error(400, "UnknownOperationException", operation);
        };
    }

    private Answer put(String group, String stream, JsonNode logEvents, String authorization) {
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
        Answer answer = Answer.ok(FakeJsonService.JSON.createObjectNode());
        answer.body().put("nextSequenceToken", Integer.toString(puts.size()));
        return answer;
    }

    private static Answer error(int status, String type, String message) {
        return Answer.error(status, type, message);
    }

    @Override
    public void close() throws Exception {
        service.close();
    }
}
