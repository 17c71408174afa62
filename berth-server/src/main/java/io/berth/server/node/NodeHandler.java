package io.berth.server.node;

import io.berth.server.http.JsonHandler;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's root handler: hands every request to what the node does at the moment (lead, follow, or neither while
 * it loads the state or no node leads). Switching starts the handler taking over and stops a leader's handler
 * leaving; the follower's forwarding handler lives as long as the node.
 */
final class NodeHandler extends Handler.Abstract {

    private static final Logger log = LoggerFactory.getLogger(NodeHandler.class);

    /** Answers 503, which every AWS SDK retries, with the reason in an AWS JSON error. */
    static final class Unavailable extends Handler.Abstract {
        private final String reason;

        Unavailable(String reason) {
            this.reason = reason;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            refuse(response, callback, reason);
            return true;
        }
    }

    private volatile Handler current;

    NodeHandler(Handler initial) {
        this.current = initial;
        addBean(initial, true);
    }

    @Override
    public void setServer(org.eclipse.jetty.server.Server server) {
        super.setServer(server);
        if (current.getServer() == null) {
            current.setServer(server);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return current.handle(request, response, callback);
    }

    /**
     * Makes {@code next} answer from now on, started first if it is not; the handler it replaces is stopped when
     * {@code stopPrevious}.
     */
    synchronized void serve(Handler next, boolean stopPrevious) {
        Handler previous = current;
        if (previous == next) {
            return;
        }
        try {
            if (!next.isStarted()) {
                if (next.getServer() == null) {
                    next.setServer(getServer());
                }
                next.start();
            }
            current = next;
        } catch (Exception e) {
            // Whatever answered before must not go on answering: a deposed leader's handler least of all.
            current = new Unavailable("This Berth node cannot serve at the moment; retry shortly.");
            throw new IllegalStateException("Cannot start the node's handler", e);
        } finally {
            stopIf(stopPrevious, previous);
        }
    }

    private static void stopIf(boolean stop, Handler handler) {
        if (!stop) {
            return;
        }
        try {
            handler.stop();
        } catch (Exception e) {
            log.warn("Stopping the previous handler failed", e);
        }
    }

    static void refuse(Response response, Callback callback, String reason) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        JsonHandler.sendError(response, callback, 503, "ServiceUnavailableException", reason);
    }
}
