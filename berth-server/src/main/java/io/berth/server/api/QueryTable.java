package io.berth.server.api;

import io.berth.control.Caller;
import io.berth.control.iam.QueryOperations;
import io.berth.model.AwsQuery;
import io.berth.model.EcsException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;

/**
 * The actions of one Query API (IAM or STS) with its codec: decodes the form parameters into the
 * request shape, runs the action and writes its XML answer. Unknown actions answer InvalidAction.
 */
public final class QueryTable implements QueryOperations {

    private record Entry<Q extends SdkRequest, R extends SdkResponse>(Class<Q> requestType, Handler<Q, R> handler) {

        byte[] invoke(AwsQuery codec, String action, Caller caller, Map<String, String> params, String requestId) {
            return codec.response(action, handler.handle(caller, codec.read(params, requestType)), requestId);
        }
    }

    private final AwsQuery codec;
    private final String version;
    private final Map<String, Entry<?, ?>> entries = new ConcurrentHashMap<>();

    /**
     * @param version the API version the service answers for ({@code 2010-05-08} for IAM)
     */
    public QueryTable(AwsQuery codec, String version) {
        this.codec = codec;
        this.version = version;
    }

    @Override
    public <Q extends SdkRequest, R extends SdkResponse> void add(String action, Class<Q> requestType,
            Handler<Q, R> handler) {
        if (entries.putIfAbsent(action, new Entry<>(requestType, handler)) != null) {
            throw new IllegalStateException("Action " + action + " added twice");
        }
    }

    public boolean supports(String action) {
        return entries.containsKey(action);
    }

    public AwsQuery codec() {
        return codec;
    }

    /** Runs the action the parameters name and answers its XML. */
    public byte[] invoke(Caller caller, Map<String, String> params, String requestId) {
        String action = params.get("Action");
        if (action == null || action.isEmpty()) {
            throw new EcsException("MissingAction", 400, "Missing Action");
        }
        Entry<?, ?> entry = entries.get(action);
        if (entry == null) {
            throw new EcsException("InvalidAction", 400,
                    "Could not find operation " + action + " for version " + version);
        }
        return entry.invoke(codec, action, caller, params, requestId);
    }
}
