package io.berth.server.api;

import io.berth.control.Caller;
import io.berth.control.Operations;
import io.berth.control.access.AccessControl;
import io.berth.control.access.RequestOrigin;
import io.berth.model.AwsJson;
import io.berth.model.EcsException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.ecs.model.EcsRequest;
import software.amazon.awssdk.services.ecs.model.EcsResponse;

/**
 * Every ECS operation Berth answers, by name, with the codec between the wire JSON and the SDK
 * shapes. Operations of the ECS API that no service added answer UnsupportedFeatureException
 * naming the operation; names outside the API answer UnknownOperationException.
 */
public final class OperationTable implements Operations {

    private static final String MODEL_PACKAGE = EcsRequest.class.getPackageName();

    private record Entry<Q extends EcsRequest, R extends EcsResponse>(Class<Q> requestType, Handler<Q, R> handler) {

        byte[] invoke(AwsJson json, AccessControl access, String operation, Caller caller, RequestOrigin origin,
                byte[] body) {
            Q request = json.read(body, requestType);
            access.authorize(caller, operation, request, origin);
            R response = handler.handle(caller, request);
            return json.writeBytes(response);
        }
    }

    private final AwsJson json;
    private final AccessControl access;
    private final Map<String, Entry<?, ?>> entries = new ConcurrentHashMap<>();

    /** @param access decides, once a request is decoded and before it runs, whether the caller may make it */
    public OperationTable(AwsJson json, AccessControl access) {
        this.json = json;
        this.access = access;
    }

    @Override
    public <Q extends EcsRequest, R extends EcsResponse> void add(String name, Class<Q> requestType,
            Handler<Q, R> handler) {
        if (entries.putIfAbsent(name, new Entry<>(requestType, handler)) != null) {
            throw new IllegalStateException("Operation " + name + " added twice");
        }
    }

    /** Decodes the body, authorizes the call, runs the operation and encodes its answer. */
    public byte[] invoke(String operation, Caller caller, RequestOrigin origin, byte[] body) {
        Entry<?, ?> entry = entries.get(operation);
        if (entry == null) {
            throw unknown(operation);
        }
        return entry.invoke(json, access, operation, caller, origin, body);
    }

    public boolean supports(String operation) {
        return entries.containsKey(operation);
    }

    private static EcsException unknown(String operation) {
        if (isEcsOperation(operation)) {
            return EcsException.unsupportedFeature("Berth does not support the ECS operation " + operation + " yet.");
        }
        return new EcsException("UnknownOperationException", 400, "Unknown operation " + operation + ".");
    }

    /** Whether the name is an operation of the ECS API: the SDK has a request shape for each. */
    static boolean isEcsOperation(String operation) {
        if (operation.isEmpty() || !Character.isUpperCase(operation.charAt(0))
                || !operation.chars().allMatch(Character::isLetterOrDigit)) {
            return false;
        }
        try {
            Class<?> type = Class.forName(MODEL_PACKAGE + "." + operation + "Request");
            return EcsRequest.class.isAssignableFrom(type);
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
