package io.berth.server.node;

import io.berth.control.store.Document;
import io.berth.control.store.Mutation;
import io.berth.control.store.Store;
import java.util.List;
import java.util.function.Consumer;

/** A leader's store that reports every failed write, after which the leader no longer trusts its state. */
final class StepDownOnFailure implements Store {

    private final Store store;
    private final Runnable failed;

    StepDownOnFailure(Store store, Runnable failed) {
        this.store = store;
        this.failed = failed;
    }

    @Override
    public void apply(List<Mutation> batch) {
        try {
            store.apply(batch);
        } catch (RuntimeException e) {
            failed.run();
            throw e;
        }
    }

    @Override
    public boolean compareAndPut(Document next, String expectedJson) {
        try {
            return store.compareAndPut(next, expectedJson);
        } catch (RuntimeException e) {
            failed.run();
            throw e;
        }
    }

    @Override
    public void loadAll(Consumer<Document> sink) {
        store.loadAll(sink);
    }

    @Override
    public void loadAllUtf8(Utf8Sink sink) {
        store.loadAllUtf8(sink);
    }

    @Override
    public List<Document> list(String kind, String scope) {
        return store.list(kind, scope);
    }

    @Override
    public void close() {
        store.close();
    }
}
