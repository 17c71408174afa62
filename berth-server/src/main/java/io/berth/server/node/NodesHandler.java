package io.berth.server.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.model.EcsException;
import io.berth.server.auth.Authenticator;
import io.berth.server.auth.Identity;
import io.berth.server.auth.SigV4Verifier;
import io.berth.server.auth.SignedRequest;
import io.berth.store.LeaderLease;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /_berth/nodes}, signed with SigV4 for service {@value #SIGNING_NAME} by an account's root: the nodes,
 * which one leads, its epoch and when its lease runs out. Followers forward it to the leader like any request.
 */
public final class NodesHandler extends Handler.Abstract {

    public static final String PATH = "/_berth/nodes";
    public static final String SIGNING_NAME = "berth";

    private final Authenticator authenticator;
    private final Supplier<LeaderLease.Standing> standing;
    private final ObjectMapper json = new ObjectMapper();

    public NodesHandler(Authenticator authenticator, Supplier<LeaderLease.Standing> standing) {
        this.authenticator = authenticator;
        this.standing = standing;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!PATH.equals(Request.getPathInContext(request))) {
            return false;
        }
        try {
            if (!"GET".equals(request.getMethod())) {
                throw new EcsException("UnsupportedOperation", 405, "Use GET " + PATH + ".");
            }
            SignedRequest signed = new SignedRequest("GET", request.getHttpURI().getPath(),
                    request.getHttpURI().getQuery(), SignedRequest.headersOf(request.getHeaders()), new byte[0]);
            Identity identity = authenticator.authenticate(signed);
            SigV4Verifier.requireService(signed, SIGNING_NAME);
            if (!identity.principalArn().endsWith(":root")) {
                throw new EcsException("AccessDeniedException", 403,
                        "Only an account's root sees the control plane's nodes; " + identity.principalArn() + " is not.");
            }
            send(response, callback, 200, json.writeValueAsBytes(report(standing.get())));
        } catch (EcsException e) {
            ObjectNode error = json.createObjectNode().put("__type", e.code()).put("message", e.getMessage());
            send(response, callback, e.httpStatus(), error.toString().getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            NodeHandler.refuse(response, callback, "Cannot read the nodes: " + e.getMessage());
        }
        return true;
    }

    private ObjectNode report(LeaderLease.Standing standing) {
        ObjectNode report = json.createObjectNode();
        LeaderLease.Holder leader = standing.leader();
        if (leader == null) {
            report.putNull("leader");
        } else {
            report.putObject("leader")
                    .put("nodeId", leader.nodeId())
                    .put("endpoint", leader.endpoint())
                    .put("epoch", leader.epoch())
                    .put("leaseExpiresAt", leader.expiresAt() == null ? null : leader.expiresAt().toString());
        }
        report.put("databaseTime", standing.databaseNow().toString());
        var nodes = report.putArray("nodes");
        for (LeaderLease.Node node : standing.nodes()) {
            nodes.addObject()
                    .put("nodeId", node.nodeId())
                    .put("endpoint", node.endpoint())
                    .put("leader", leader != null && leader.nodeId().equals(node.nodeId()))
                    .put("alive", node.alive())
                    .put("startedAt", node.startedAt().toString())
                    .put("lastSeenAt", node.lastSeenAt().toString());
        }
        return report;
    }

    static void send(Response response, Callback callback, int status, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
