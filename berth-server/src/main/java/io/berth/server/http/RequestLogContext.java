package io.berth.server.http;

import org.slf4j.MDC;

/**
 * The request id every log line written while a request is answered carries, as the MDC entry {@value #KEY}
 * ({@code %X{requestId}} in a log pattern, {@code mdc.requestId} in JSON). A handler sets it when it knows the id;
 * {@link Probes}, at the root, removes it when the request's handling returns.
 */
public final class RequestLogContext {

    public static final String KEY = "requestId";

    private RequestLogContext() {
    }

    /** Tags the log lines of the current thread's request with its id. */
    public static void enter(String requestId) {
        MDC.put(KEY, requestId);
    }

    static void leave() {
        MDC.remove(KEY);
    }
}
