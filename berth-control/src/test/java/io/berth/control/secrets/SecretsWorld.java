package io.berth.control.secrets;

import io.berth.control.Caller;
import io.berth.control.ControlPlane;
import io.berth.control.OperationsByName;
import io.berth.control.Scope;
import io.berth.control.TestClock;
import io.berth.control.crypto.Sealer;
import io.berth.control.iam.Decision;
import io.berth.control.state.State;
import io.berth.control.store.Document;
import io.berth.control.store.MemoryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * Secrets Manager over a memory store and a clock the test moves, its operations called by name as
 * the edge calls them, by a user whose denied actions a test chooses.
 */
final class SecretsWorld implements AutoCloseable {

    static final Scope SCOPE = new Scope("aws", "123456789012", "us-east-1");
    static final Caller USER = new Caller(SCOPE, "arn:aws:iam::123456789012:user/app");

    final MemoryStore store;
    final State state;
    final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
    final Set<String> denied = new HashSet<>();
    final SecretsManager secrets;
    private final OperationsByName operations = new OperationsByName();

    SecretsWorld() {
        this(new MemoryStore(), Sealer.withKey(new byte[32]));
    }

    /** Secrets Manager over what the store holds, sealing with the sealer. */
    SecretsWorld(MemoryStore store, Sealer sealer) {
        this.store = store;
        this.state = new State(store, ControlPlane.KINDS);
        this.secrets = new SecretsManager(state, sealer,
                (caller, request) -> denied.contains(request.action()) ? Decision.IMPLICIT_DENY : Decision.ALLOW, clock);
        secrets.addTo(operations);
    }

    /** Runs the operation as the user. */
    <R extends SdkResponse> R call(String operation, SdkRequest request) {
        return operations.call(operation, USER, request);
    }

    CreateSecretResponse create(String name, String value) {
        return call("CreateSecret", CreateSecretRequest.builder().name(name).secretString(value).build());
    }

    GetSecretValueResponse get(String secretId) {
        return call("GetSecretValue", GetSecretValueRequest.builder().secretId(secretId).build());
    }

    /** Every stored document of Secrets Manager, as JSON. */
    List<String> storedJson() {
        List<String> json = new ArrayList<>();
        for (String kind : List.of(Secrets.KIND.name(), Secrets.VALUES.name())) {
            store.list(kind, SCOPE.key()).stream().map(Document::json).forEach(json::add);
        }
        return json;
    }

    @Override
    public void close() {
        state.close();
    }
}
