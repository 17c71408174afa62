package io.berth.control.ssm;

import io.berth.control.Caller;
import io.berth.control.ControlPlane;
import io.berth.control.OperationsByName;
import io.berth.control.Scope;
import io.berth.control.crypto.Sealer;
import io.berth.control.iam.AccessRequest;
import io.berth.control.iam.Decision;
import io.berth.control.state.State;
import io.berth.control.store.Document;
import io.berth.control.store.MemoryStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;
import software.amazon.awssdk.services.ssm.model.PutParameterResponse;

/**
 * A Parameter Store over a memory store, its operations called by name as the edge calls them, by
 * a user whose denied actions a test chooses.
 */
final class ParameterWorld implements AutoCloseable {

    static final Scope SCOPE = new Scope("aws", "123456789012", "us-east-1");
    static final Caller USER = new Caller(SCOPE, "arn:aws:iam::123456789012:user/app");

    final MemoryStore store;
    final State state;
    final Set<String> denied = new HashSet<>();
    final List<AccessRequest> asked = new ArrayList<>();
    private final OperationsByName operations = new OperationsByName();

    ParameterWorld() {
        this(new MemoryStore(), Sealer.withKey(new byte[32]));
    }

    /** Parameter Store over what the store holds, sealing with the sealer. */
    ParameterWorld(MemoryStore store, Sealer sealer) {
        this.store = store;
        this.state = new State(store, ControlPlane.KINDS);
        ParameterStore parameters = new ParameterStore(state, sealer, (caller, request) -> {
            asked.add(request);
            return denied.contains(request.action()) ? Decision.IMPLICIT_DENY : Decision.ALLOW;
        }, Clock.systemUTC());
        parameters.addTo(operations);
    }

    /** Runs the operation as the user. */
    <R extends SdkResponse> R call(String operation, SdkRequest request) {
        return operations.call(operation, USER, request);
    }

    long put(String name, String value) {
        return put(name, value, ParameterType.STRING);
    }

    long put(String name, String value, ParameterType type) {
        PutParameterResponse put = call("PutParameter", PutParameterRequest.builder().name(name).value(value)
                .type(type).overwrite(true).build());
        return put.version();
    }

    /** Every stored document of Parameter Store, as JSON. */
    List<String> storedJson() {
        List<String> json = new ArrayList<>();
        for (String kind : List.of(Parameters.KIND.name(), Parameters.VERSIONS.name())) {
            store.list(kind, SCOPE.key()).stream().map(Document::json).forEach(json::add);
        }
        return json;
    }

    @Override
    public void close() {
        state.close();
    }
}
