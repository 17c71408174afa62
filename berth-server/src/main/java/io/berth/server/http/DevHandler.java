package io.berth.server.http;

import io.berth.control.state.State;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Development mode only: {@code POST /_berth/reset} wipes every resource of every account. */
public final class DevHandler extends Handler.Abstract {

    private final State state;

    public DevHandler(State state) {
        this.state = state;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"/_berth/reset".equals(Request.getPathInContext(request))) {
            return false;
        }
        if (!"POST".equals(request.getMethod())) {
            JsonHandler.sendError(response, callback, 405, "MethodNotAllowed", "Use POST to reset.");
            return true;
        }
        int removed = state.reset();
        JsonHandler.send(response, callback, 200,
                ("{\"removed\":" + removed + "}").getBytes(StandardCharsets.UTF_8));
        return true;
    }
}
