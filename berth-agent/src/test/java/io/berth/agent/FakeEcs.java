package io.berth.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The few ECS JSON operations the agent calls, answered as the control plane would: registration (echoing the
 * attributes, keeping a re-registered ARN), the poll endpoint and state changes, each request kept for the test.
 */
final class FakeEcs implements AutoCloseable {

    /** One call: its operation name and JSON body. */
    record Call(String operation, JsonNode body) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Server server = new Server();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final String acsEndpoint;

    FakeEcs(String acsEndpoint) throws Exception {
        this.acsEndpoint = acsEndpoint;
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String target = request.getHeaders().get("X-Amz-Target");
                String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
                JsonNode body = json.readTree(Content.Source.asString(request, StandardCharsets.UTF_8));
                calls.add(new Call(operation, body));
                ObjectNode answer = answer(operation, body);
                int status = answer.has("__type") ? 400 : 200;
                response.setStatus(status);
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

    List<Call> calls(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).toList();
    }

    private ObjectNode answer(String operation, JsonNode body) {
        ObjectNode answer = json.createObjectNode();
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
        server.stop();
    }
}
