package io.berth.control;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;

/** A JSON service's operations as the edge holds them, called by name. */
public final class OperationsByName implements JsonOperations {

    private final Map<String, Handler<?, ?>> handlers = new HashMap<>();

    @Override
    public <Q extends SdkRequest, R extends SdkResponse> void add(String name, Class<Q> requestType,
            Handler<Q, R> handler) {
        handlers.put(name, handler);
    }

    /** Runs the operation as the caller. */
    @SuppressWarnings("unchecked")
    public <R extends SdkResponse> R call(String operation, Caller caller, SdkRequest request) {
        Handler<SdkRequest, R> handler = (Handler<SdkRequest, R>) handlers.get(operation);
        return handler.handle(caller, request);
    }
}
