package io.berth.server.api;

import io.berth.control.Caller;
import io.berth.control.JsonOperations;
import io.berth.control.access.RequestOrigin;
import io.berth.model.AwsJson;
import io.berth.model.EcsException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;

/**
 * The operations of one AWS JSON 1.1 service with the codec between the wire JSON and the SDK
 * shapes: the service's {@code X-Amz-Target} prefix, the name its requests are signed for, the
 * largest body it takes, and a gate that may refuse a decoded request before it runs.
 */
public final class JsonTable implements JsonOperations {

    /** Decides, once a request is decoded and before it runs, whether the caller may make it. */
    @FunctionalInterface
    public interface Gate {
        void check(String operation, Caller caller, SdkRequest request, RequestOrigin origin);

        Gate OPEN = (operation, caller, request, origin) -> { };
    }

    private record Entry<Q extends SdkRequest, R extends SdkResponse>(Class<Q> requestType, Handler<Q, R> handler) {

        byte[] invoke(AwsJson json, Gate gate, String operation, Caller caller, RequestOrigin origin, byte[] body) {
            Q request = json.read(body, requestType);
            gate.check(operation, caller, request, origin);
            return json.writeBytes(handler.handle(caller, request));
        }
    }

    private final String targetPrefix;
    private final String signingName;
    private final int maxBodyBytes;
    private final AwsJson json;
    private final Gate gate;
    private final Function<String, EcsException> unknown;
    private final Map<String, Entry<?, ?>> entries = new ConcurrentHashMap<>();

    /**
     * @param targetPrefix the {@code X-Amz-Target} before the operation, dot included ({@code Logs_20140328.})
     * @param signingName the SigV4 service name of the credential scope ({@code logs})
     * @param unknown the error for an operation name no handler was added for
     */
    public JsonTable(String targetPrefix, String signingName, int maxBodyBytes, AwsJson json, Gate gate,
            Function<String, EcsException> unknown) {
        this.targetPrefix = targetPrefix;
        this.signingName = signingName;
        this.maxBodyBytes = maxBodyBytes;
        this.json = json;
        this.gate = gate;
        this.unknown = unknown;
    }

    /** A table whose unknown operations answer UnknownOperationException and whose services check their own callers. */
    public static JsonTable of(String targetPrefix, String signingName, int maxBodyBytes, AwsJson json) {
        return new JsonTable(targetPrefix, signingName, maxBodyBytes, json, Gate.OPEN, JsonTable::unknownOperation);
    }

    @Override
    public <Q extends SdkRequest, R extends SdkResponse> void add(String name, Class<Q> requestType,
            Handler<Q, R> handler) {
        if (entries.putIfAbsent(name, new Entry<>(requestType, handler)) != null) {
            throw new IllegalStateException("Operation " + targetPrefix + name + " added twice");
        }
    }

    /** Decodes the body, lets the gate check it, runs the operation and encodes its answer. */
    public byte[] invoke(String operation, Caller caller, RequestOrigin origin, byte[] body) {
        Entry<?, ?> entry = entries.get(operation);
        if (entry == null) {
            throw unknown.apply(operation);
        }
        return entry.invoke(json, gate, operation, caller, origin, body);
    }

    public boolean supports(String operation) {
        return entries.containsKey(operation);
    }

    public String targetPrefix() {
        return targetPrefix;
    }

    public String signingName() {
        return signingName;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    static EcsException unknownOperation(String operation) {
        return new EcsException("UnknownOperationException", 400, "Unknown operation " + operation + ".");
    }
}
