package io.berth.server.node;

import io.berth.server.http.OperatorHandler;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /_berth/leader}, unsigned, for a load balancer's health check: 200 from the node that leads, 503 from the
 * others (a follower answers it itself instead of forwarding it), so that the balancer sends agents to the leader.
 */
public final class LeaderCheck extends Handler.Abstract {

    public static final String PATH = "/_berth/leader";
    private static final byte[] LEADS = "{\"leader\":true}".getBytes(StandardCharsets.UTF_8);

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!PATH.equals(Request.getPathInContext(request))) {
            return false;
        }
        OperatorHandler.send(response, callback, 200, LEADS);
        return true;
    }
}
