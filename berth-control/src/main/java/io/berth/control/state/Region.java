package io.berth.control.state;

import io.berth.control.Scope;
import java.util.Collection;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory state of one scope (account and region): a sorted table per kind, read without
 * locks. Only {@link State#write} changes it, one writer at a time.
 */
public final class Region {

    private final Scope scope;
    private final Map<String, ConcurrentSkipListMap<String, Object>> tables = new ConcurrentHashMap<>();
    private final Map<String, java.util.List<View<?>>> viewsByKind = new ConcurrentHashMap<>();
    private final Map<Object, View<?>> views = new ConcurrentHashMap<>();
    final ReentrantLock writeLock = new ReentrantLock();

    /**
     * Something worked out from every value of one kind (an index, a count), kept up to date as
     * values are committed, so that a writer need not scan the whole table for it. It changes only
     * under the region's write lock, so only writers (inside {@link State#write}) should read it.
     * It follows committed values, never a transaction's own uncommitted ones.
     */
    public interface View<T> {

        /** A value was stored, replaced or removed; {@code before} or {@code after} is null when absent. */
        void changed(String id, T before, T after);
    }

    Region(Scope scope) {
        this.scope = scope;
    }

    public Scope scope() {
        return scope;
    }

    public <T> Optional<T> get(Kind<T> kind, String id) {
        return Optional.ofNullable(cast(table(kind).get(id)));
    }

    /** Every value of a kind, in id order. */
    public <T> Collection<T> all(Kind<T> kind) {
        return values(table(kind));
    }

    /** The values whose id starts with the prefix, in id order. */
    public <T> Collection<T> withPrefix(Kind<T> kind, String prefix) {
        return values(table(kind).subMap(prefix, true, prefix + Character.MAX_VALUE, false));
    }

    /** The values whose id starts with the prefix and comes after {@code afterId}, in id order. */
    public <T> Collection<T> withPrefixAfter(Kind<T> kind, String prefix, String afterId) {
        String from = afterId == null || afterId.compareTo(prefix) < 0 ? prefix : afterId;
        boolean inclusive = afterId == null || afterId.compareTo(prefix) < 0;
        return values(table(kind).subMap(from, inclusive, prefix + Character.MAX_VALUE, false));
    }

    /**
     * The view registered under {@code key}, created and filled from the current values on first
     * use, then told of every committed change of the kind.
     */
    public <T, V extends View<T>> V view(Kind<T> kind, Object key, java.util.function.Supplier<V> create) {
        @SuppressWarnings("unchecked")
        V existing = (V) views.get(key);
        if (existing != null) {
            return existing;
        }
        writeLock.lock();
        try {
            @SuppressWarnings("unchecked")
            V again = (V) views.get(key);
            if (again != null) {
                return again;
            }
            V view = create.get();
            for (Map.Entry<String, Object> entry : table(kind).entrySet()) {
                view.changed(entry.getKey(), null, cast(entry.getValue()));
            }
            viewsByKind.computeIfAbsent(kind.name(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(view);
            views.put(key, view);
            return view;
        } finally {
            writeLock.unlock();
        }
    }

    java.util.List<String> ids(String kind) {
        ConcurrentSkipListMap<String, Object> table = tables.get(kind);
        return table == null ? java.util.List.of() : java.util.List.copyOf(table.keySet());
    }

    void put(String kind, String id, Object value) {
        Object before = tables.computeIfAbsent(kind, k -> new ConcurrentSkipListMap<>()).put(id, value);
        notifyViews(kind, id, before, value);
    }

    void remove(String kind, String id) {
        ConcurrentSkipListMap<String, Object> table = tables.get(kind);
        if (table != null) {
            Object before = table.remove(id);
            if (before != null) {
                notifyViews(kind, id, before, null);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void notifyViews(String kind, String id, Object before, Object after) {
        java.util.List<View<?>> interested = viewsByKind.get(kind);
        if (interested != null) {
            for (View<?> view : interested) {
                ((View<Object>) view).changed(id, before, after);
            }
        }
    }

    private NavigableMap<String, Object> table(Kind<?> kind) {
        return tables.computeIfAbsent(kind.name(), k -> new ConcurrentSkipListMap<>());
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    @SuppressWarnings("unchecked")
    private static <T> Collection<T> values(NavigableMap<String, Object> map) {
        return (Collection<T>) map.values();
    }
}
