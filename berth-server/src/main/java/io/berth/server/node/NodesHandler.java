package io.berth.server.node;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.model.EcsException;
import io.berth.server.auth.Authenticator;
import io.berth.server.auth.Identity;
import io.berth.server.http.OperatorHandler;
import io.berth.store.LeaderLease;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /_berth/nodes}, signed with SigV4 for service {@value OperatorHandler#SIGNING_NAME} by an account's root:
 * the nodes, which one leads, its epoch and when its lease runs out. Followers forward it to the leader like any
 * request.
 */
public final class NodesHandler extends OperatorHandler {

    public static final String PATH = "/_berth/nodes";

    private final Supplier<LeaderLease.Standing> standing;

    public NodesHandler(Authenticator authenticator, Supplier<LeaderLease.Standing> standing) {
        super(PATH, authenticator);
        this.standing = standing;
    }

    @Override
    protected ObjectNode answer(Identity root) {
        return report(standing.get());
    }

    @Override
    protected EcsException notRoot(Identity signer) {
        return new EcsException("AccessDeniedException", 403,
                "Only an account's root sees the control plane's nodes; " + signer.principalArn() + " is not.");
    }

    @Override
    protected void failed(Response response, Callback callback, Exception failure) {
        NodeHandler.refuse(response, callback, "Cannot read the nodes: " + failure.getMessage());
    }

    private ObjectNode report(LeaderLease.Standing standing) {
        ObjectNode report = JsonNodeFactory.instance.objectNode();
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
}
