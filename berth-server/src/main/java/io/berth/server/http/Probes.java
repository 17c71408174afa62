package io.berth.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A node's root handler: answers what an orchestrator and Prometheus ask of this very node, unsigned and never
 * forwarded to a leader, and passes every other request on.
 * <ul>
 * <li>{@code GET /healthz}: 200 while the process answers at all;</li>
 * <li>{@code GET /readyz}: 200 once the node can answer the API (it leads with its state loaded, or it follows a
 * known leader), 503 otherwise;</li>
 * <li>{@code GET /metrics}: the node's meters in the Prometheus text format: counts and durations only.</li>
 * </ul>
 * The bodies say nothing else. The request id a handler put in the log context is removed once the request's handling
 * returns, so that the next request on the same thread does not carry it.
 */
public final class Probes extends Handler.Wrapper {

    public static final String HEALTH = "/healthz";
    public static final String READY = "/readyz";
    public static final String METRICS = "/metrics";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<String> metrics;
    private final BooleanSupplier ready;

    /**
     * @param metrics writes the node's meters in the Prometheus text format
     * @param ready whether the node can answer the API now
     */
    public Probes(Handler next, Supplier<String> metrics, BooleanSupplier ready) {
        super(next);
        this.metrics = metrics;
        this.ready = ready;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if ("GET".equals(request.getMethod())) {
            switch (Request.getPathInContext(request)) {
                case HEALTH -> {
                    return send(response, callback, 200, TEXT, "ok\n");
                }
                case READY -> {
                    boolean isReady = ready.getAsBoolean();
                    return send(response, callback, isReady ? 200 : 503, TEXT, isReady ? "ready\n" : "not ready\n");
                }
                case METRICS -> {
                    return send(response, callback, 200, PROMETHEUS_TEXT, metrics.get());
                }
                default -> {
                }
            }
        }
        try {
            return super.handle(request, response, callback);
        } finally {
            RequestLogContext.leave();
        }
    }

    private static boolean send(Response response, Callback callback, int status, String contentType, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
