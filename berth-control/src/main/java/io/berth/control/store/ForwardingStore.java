package io.berth.control.store;

import java.util.List;
import java.util.function.Consumer;

/** A store that hands every call to another; a decorator overrides only what it changes. */
public abstract class ForwardingStore implements Store {

    private final Store store;

    protected ForwardingStore(Store store) {
        this.store = store;
    }

    @Override
    public void apply(List<Mutation> batch) {
        store.apply(batch);
    }

    @Override
    public boolean compareAndPut(Document next, String expectedJson) {
        return store.compareAndPut(next, expectedJson);
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
