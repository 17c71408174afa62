package io.berth.control.store;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the control plane's state is kept: resource documents (JSON) by kind, scope and id.
 * Implementations live in {@code berth-store}; all of them pass the same contract tests.
 */
public interface Store extends AutoCloseable {

    /** Applies the whole batch in one transaction; when this returns, the batch is durable. */
    void apply(List<Mutation> batch);

    /**
     * Puts the document only if the stored one of the same kind, scope and id still has exactly the JSON
     * {@code expectedJson} (is absent, when null), in one transaction; answers whether it did. Whoever reads a
     * document outside the control plane's state, changes it and writes it back (IAM directories, access keys)
     * writes it so, and reads again when it lost: another process (a command line, a former leader) may have
     * written it meanwhile.
     */
    default boolean compareAndPut(Document next, String expectedJson) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot compare and put");
    }

    /** Hands every stored document to the sink, ordered by kind, scope and id. */
    void loadAll(Consumer<Document> sink);

    /**
     * Hands every stored document to the sink like {@link #loadAll}, its JSON as UTF-8 bytes: a store that keeps
     * text as UTF-8 hands it over without making a string of it first, which a start of a large store pays for
     * every document.
     */
    default void loadAllUtf8(Utf8Sink sink) {
        loadAll(d -> sink.accept(d.kind(), d.scope(), d.id(), d.json().getBytes(StandardCharsets.UTF_8)));
    }

    /** Receives the documents of {@link #loadAllUtf8}. */
    @FunctionalInterface
    interface Utf8Sink {
        void accept(String kind, String scope, String id, byte[] json);
    }

    /** Every document of one kind in one scope, ordered by id. */
    List<Document> list(String kind, String scope);

    @Override
    void close();
}
