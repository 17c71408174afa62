package io.berth.control.state;

import io.berth.control.Scope;
import io.berth.control.store.Document;
import io.berth.control.store.Mutation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The changes of one write. Reads see the region plus this transaction's own puts and deletes;
 * nothing reaches the region or the store unless the work completes without throwing.
 */
public final class Transaction {

    private record Key(String kind, String id) {
    }

    private static final Object DELETED = new Object();

    private final Region region;
    private final Map<Key, Object> changes = new LinkedHashMap<>();
    private final Map<Key, Kind<?>> kinds = new LinkedHashMap<>();
    private final java.util.Set<String> touchedKinds = new java.util.HashSet<>();

    Transaction(Region region) {
        this.region = region;
    }

    public Region region() {
        return region;
    }

    public Scope scope() {
        return region.scope();
    }

    public <T> Optional<T> get(Kind<T> kind, String id) {
        Object changed = changes.get(new Key(kind.name(), id));
        if (changed == DELETED) {
            return Optional.empty();
        }
        if (changed != null) {
            @SuppressWarnings("unchecked")
            T typed = (T) changed;
            return Optional.of(typed);
        }
        return region.get(kind, id);
    }

    public <T> void put(Kind<T> kind, String id, T value) {
        Key key = new Key(kind.name(), id);
        changes.put(key, value);
        kinds.put(key, kind);
        touchedKinds.add(kind.name());
    }

    public void delete(Kind<?> kind, String id) {
        Key key = new Key(kind.name(), id);
        changes.put(key, DELETED);
        kinds.put(key, kind);
        touchedKinds.add(kind.name());
    }

    /** Whether this transaction has put or deleted any value of the kind: if not, it reads as the region. */
    public boolean touches(Kind<?> kind) {
        return touchedKinds.contains(kind.name());
    }

    boolean isEmpty() {
        return changes.isEmpty();
    }

    /** What the transaction changes, each with the value it replaces; read before {@link #commitToRegion}. */
    List<Change> changes() {
        List<Change> list = new ArrayList<>(changes.size());
        for (Map.Entry<Key, Object> change : changes.entrySet()) {
            Key key = change.getKey();
            Object before = region.get(kinds.get(key), key.id()).orElse(null);
            Object after = change.getValue() == DELETED ? null : change.getValue();
            list.add(new Change(region.scope(), key.kind(), key.id(), before, after));
        }
        return list;
    }

    /**
     * The changes as store mutations, in order, and as the values they put into the region, pending until the
     * store's commit settles.
     */
    record Staged(List<Mutation> mutations, List<PendingValue> values) {
    }

    /** Puts the changes into the region, pending, and returns them as store mutations too. */
    Staged commitToRegion() {
        String scope = region.scope().key();
        List<Mutation> mutations = new ArrayList<>(changes.size());
        for (Map.Entry<Key, Object> change : changes.entrySet()) {
            Key key = change.getKey();
            if (change.getValue() == DELETED) {
                mutations.add(new Mutation.Delete(key.kind(), scope, key.id()));
            } else {
                String json = kinds.get(key).encode(change.getValue());
                mutations.add(new Mutation.Put(new Document(key.kind(), scope, key.id(), json)));
            }
        }
        List<PendingValue> values = new ArrayList<>(changes.size());
        for (Map.Entry<Key, Object> change : changes.entrySet()) {
            Key key = change.getKey();
            PendingValue value = region.stage(key.kind(), key.id(), change.getValue() == DELETED ? null : change.getValue());
            if (value != null) {
                values.add(value);
            }
        }
        return new Staged(mutations, values);
    }
}
