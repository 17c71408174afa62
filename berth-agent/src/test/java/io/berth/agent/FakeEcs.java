package io.berth.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The few ECS JSON operations the agent calls, answered as the control plane would: registration (echoing the
 * attributes, keeping a re-registered ARN), the poll endpoint and state changes, each request kept for the test.
 */
final class FakeEcs implements AutoCloseable {

    /** One call: its operation name and JSON body. */
    record Call(String operation, JsonNode body) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final String acsEndpoint;
    private final FakeJsonService service;

    FakeEcs(String acsEndpoint) throws Exception {
        this.acsEndpoint = acsEndpoint;
        this.service = new FakeJsonService(call -> {
            calls.add(new Call(call.operation(), call.body()));
            ObjectNode answer = answer(call.operation(), call.body());
            return new FakeJsonService.Answer(answer.has("__type") ? 400 : 200, answer);
        });
    }

    URI endpoint() {
        return service.endpoint();
    }

    List<Call> calls(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).toList();
    }

    private ObjectNode answer(String operation, JsonNode body) {
        ObjectNode answer = FakeJsonService.JSON.createObjectNode();
        switch (operation) {
            case "RegisterContainerInstance" -> {
                ObjectNode instance = answer.putObject("containerInstance");
                String arn = body.hasNonNull("containerInstanceArn") ? body.get("containerInstanceArn").asText()
                        : "arn:aws:ecs:us-east-1:123456789012:container-instance/" + body.get("cluster").asText()
                                + "/" + UUID.randomUUID().toString().replace("-", "");
                instance.put("containerInstanceArn", arn);
                instance.put("status", "ACTIVE");
                instance.set("attributes", body.get("attributes"));
            }
            case "DiscoverPollEndpoint" -> {
                answer.put("endpoint", acsEndpoint);
                answer.put("telemetryEndpoint", acsEndpoint);
            }
            case "SubmitTaskStateChange" -> answer.put("acknowledgment", "ACK");
            default -> {
                answer.put("__type", "UnsupportedOperationException");
                answer.put("message", operation + " is not supported here");
            }
        }
        return answer;
    }

    @Override
    public void close() throws Exception {
        service.close();
    }
}
