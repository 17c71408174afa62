package io.berth.control.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** A store in memory, for tests of the control plane that do not exercise persistence. */
public final class MemoryStore implements Store {

    private final Map<String, Document> documents = new TreeMap<>();

    private static String key(String kind, String scope, String id) {
        return kind + "\u0000" + scope + "\u0000" + id;
    }

    @Override
    public synchronized void apply(List<Mutation> batch) {
        for (Mutation mutation : batch) {
            switch (mutation) {
                case Mutation.Put put -> documents.put(key(put.kind(), put.scope(), put.id()), put.document());
                case Mutation.Delete delete -> documents.remove(key(delete.kind(), delete.scope(), delete.id()));
            }
        }
    }

    @Override
    public synchronized boolean compareAndPut(Document next, String expectedJson) {
        String key = key(next.kind(), next.scope(), next.id());
        Document stored = documents.get(key);
        if (expectedJson == null ? stored != null : stored == null || !stored.json().equals(expectedJson)) {
            return false;
        }
        documents.put(key, next);
        return true;
    }

    @Override
    public synchronized void loadAll(Consumer<Document> sink) {
        new ArrayList<>(documents.values()).forEach(sink);
    }

    @Override
    public synchronized List<Document> list(String kind, String scope) {
        return documents.values().stream().filter(d -> d.kind().equals(kind) && d.scope().equals(scope)).toList();
    }

    @Override
    public void close() {
    }
}
