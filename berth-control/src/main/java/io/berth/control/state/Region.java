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
    final ReentrantLock writeLock = new ReentrantLock();

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

    java.util.List<String> ids(String kind) {
        ConcurrentSkipListMap<String, Object> table = tables.get(kind);
        return table == null ? java.util.List.of() : java.util.List.copyOf(table.keySet());
    }

    void put(String kind, String id, Object value) {
        tables.computeIfAbsent(kind, k -> new ConcurrentSkipListMap<>()).put(id, value);
    }

    void remove(String kind, String id) {
        ConcurrentSkipListMap<String, Object> table = tables.get(kind);
        if (table != null) {
            table.remove(id);
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
