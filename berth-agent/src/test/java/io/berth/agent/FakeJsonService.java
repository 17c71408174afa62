package io.berth.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * An AWS JSON 1.1 endpoint on a free local port for tests: each call's {@code X-Amz-Target} ({@code Service.Operation}),
 * body and {@code Authorization} go to a responder, whose answer is sent as AWS sends one (an error carries
 * {@code __type} and its HTTP status).
 */
public final class FakeJsonService implements AutoCloseable {

    /** One call as received. */
    public record Call(String service, String operation, JsonNode body, String authorization, String securityToken) {
    }

    /** An answer: 200 with a body, or an error. */
    public record Answer(int status, ObjectNode body) {
        public static Answer ok(ObjectNode body) {
            return new Answer(200, body);
        }

        public static Answer error(int status, String type, String message) {
            ObjectNode body = JSON.createObjectNode();
            body.put("__type", type);
            body.put("message", message);
            return new Answer(status, body);
        }
    }

    /** Answers one call. */
    @FunctionalInterface
    public interface Responder {
        Answer answer(Call call);
    }

    public static final ObjectMapper JSON = new ObjectMapper();

    private final Server server = new Server();

    public FakeJsonService(Responder responder) throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String target = request.getHeaders().get("X-Amz-Target");
                target = target == null ? "" : target;
                int dot = target.indexOf('.');
                JsonNode body = JSON.readTree(Content.Source.asString(request, StandardCharsets.UTF_8));
                Answer answer = responder.answer(new Call(dot < 0 ? "" : target.substring(0, dot),
                        target.substring(dot + 1), body, request.getHeaders().get("Authorization"),
                        request.getHeaders().get("X-Amz-Security-Token")));
                response.setStatus(answer.status());
                response.getHeaders().put("Content-Type", "application/x-amz-json-1.1");
                response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(answer.body())), callback);
                return true;
            }
        });
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
