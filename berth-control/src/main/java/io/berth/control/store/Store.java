package io.berth.control.store;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where the control plane's state is kept: resource documents (JSON) by kind, scope and id.
 * Implementations live in {@code berth-store}; all of them pass the same contract tests.
 */
public interface Store extends AutoCloseable {

    /** Applies the whole batch in one transaction; when this returns, the batch is durable. */
    void apply(List<Mutation> batch);

    /** Hands every stored document to the sink, ordered by kind, scope and id. */
    void loadAll(Consumer<Document> sink);

    /** Every document of one kind in one scope, ordered by id. */
    List<Document> list(String kind, String scope);

    @Override
    void close();
}
