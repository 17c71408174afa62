package io.berth.control.state;

import io.berth.control.Scope;
import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory state of one scope (account and region): a sorted table per kind, read without
 * locks. Only {@link State#write} changes it, one writer at a time.
 *
 * <p>Right after a start, values may still be held as their stored JSON ({@link Encoded}) while
 * {@link State} decodes them in the background; a read decodes such a value itself, so readers
 * always see decoded values.
 */
public final class Region {

    /**
     * A stored document not decoded yet: its JSON at {@code json[offset, offset + length)}, where {@code json} may
     * hold many documents. Identity matters: a decoded value replaces only this very holder.
     */
    static final class Encoded {
        private final Kind<?> kind;
        private final byte[] json;
        private final int offset;
        private final int length;

        Encoded(Kind<?> kind, byte[] json, int offset, int length) {
            this.kind = kind;
            this.json = json;
            this.offset = offset;
            this.length = length;
        }

        Object decode() {
            return kind.utf8Decoder().decode(json, offset, length);
        }
    }

    private static final int DECODE_CHUNK = 1_024;

    private final Scope scope;
    private final Map<String, ConcurrentSkipListMap<String, Object>> tables = new ConcurrentHashMap<>();
    private final Map<String, java.util.List<View<?>>> viewsByKind = new ConcurrentHashMap<>();
    private final Map<Object, View<?>> views = new ConcurrentHashMap<>();
    final ReentrantLock writeLock = new ReentrantLock();
    // True while some value may still be Encoded; once false it stays false and reads take the plain views.
    private volatile boolean decoding;

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
        ConcurrentSkipListMap<String, Object> table = table(kind);
        return Optional.ofNullable(cast(decoded(table, id, table.get(id))));
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
            ConcurrentSkipListMap<String, Object> table = table(kind);
            for (Map.Entry<String, Object> entry : table.entrySet()) {
                // Right after a start the value may still be its JSON: views are given values.
                view.changed(entry.getKey(), null, cast(decoded(table, entry.getKey(), entry.getValue())));
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

    /**
     * Holds a stored document as its JSON, {@code json[offset, offset + length)}, until it is first read or
     * {@link #decodeAll} reaches it.
     */
    void putEncoded(Kind<?> kind, String id, byte[] json, int offset, int length) {
        decoding = true;
        put(kind.name(), id, new Encoded(kind, json, offset, length));
    }

    /**
     * Decodes every value still held as JSON, handing the work to {@code decoders} a chunk at a time; answers how
     * many it decoded. A value that cannot be decoded stays as it is, and reading it fails.
     */
    long decodeAll(java.util.concurrent.ExecutorService decoders) throws InterruptedException {
        long count = 0;
        boolean failed = false;
        java.util.List<java.util.concurrent.Future<Boolean>> chunks = new java.util.ArrayList<>();
        for (ConcurrentSkipListMap<String, Object> table : tables.values()) {
            java.util.List<Map.Entry<String, Object>> chunk = new java.util.ArrayList<>(DECODE_CHUNK);
            for (Map.Entry<String, Object> entry : table.entrySet()) {
                if (entry.getValue() instanceof Encoded) {
                    chunk.add(entry);
                    count++;
                }
                if (chunk.size() == DECODE_CHUNK) {
                    chunks.add(decoders.submit(decodeTask(table, chunk)));
                    chunk = new java.util.ArrayList<>(DECODE_CHUNK);
                }
            }
            chunks.add(decoders.submit(decodeTask(table, chunk)));
        }
        for (var chunk : chunks) {
            try {
                failed |= !chunk.get();
            } catch (java.util.concurrent.ExecutionException e) {
                failed = true;
            }
        }
        if (!failed) {
            decoding = false;
        }
        return count;
    }

    private static java.util.concurrent.Callable<Boolean> decodeTask(ConcurrentSkipListMap<String, Object> table,
            java.util.List<Map.Entry<String, Object>> chunk) {
        return () -> {
            boolean decodedAll = true;
            for (Map.Entry<String, Object> entry : chunk) {
                try {
                    decoded(table, entry.getKey(), entry.getValue());
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(Region.class).error("Cannot decode the stored {} {}",
                            ((Encoded) entry.getValue()).kind.name(), entry.getKey(), e);
                    decodedAll = false;
                }
            }
            return decodedAll;
        };
    }

    /** The value itself, or when it is still JSON the value decoded, which then replaces the JSON in the table. */
    private static Object decoded(ConcurrentMap<String, Object> table, String id, Object value) {
        if (!(value instanceof Encoded encoded)) {
            return value;
        }
        Object decoded = encoded.decode();
        // Only if nothing replaced the JSON meanwhile: a write that came in between keeps its value.
        table.replace(id, encoded, decoded);
        return decoded;
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
            // Views only ever see decoded values, also of a value replaced before it was decoded.
            Object previous = before instanceof Encoded encoded ? encoded.decode() : before;
            Object next = after instanceof Encoded encoded ? encoded.decode() : after;
            for (View<?> view : interested) {
                ((View<Object>) view).changed(id, previous, next);
            }
        }
    }

    private ConcurrentSkipListMap<String, Object> table(Kind<?> kind) {
        return tables.computeIfAbsent(kind.name(), k -> new ConcurrentSkipListMap<>());
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    @SuppressWarnings("unchecked")
    private <T> Collection<T> values(ConcurrentNavigableMap<String, Object> map) {
        if (!decoding) {
            return (Collection<T>) map.values();
        }
        return new AbstractCollection<>() {
            @Override
            public Iterator<T> iterator() {
                Iterator<Map.Entry<String, Object>> entries = map.entrySet().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return entries.hasNext();
                    }

                    @Override
                    public T next() {
                        Map.Entry<String, Object> entry = entries.next();
                        return (T) decoded(map, entry.getKey(), entry.getValue());
                    }
                };
            }

            @Override
            public int size() {
                return map.size();
            }

            @Override
            public boolean isEmpty() {
                return map.isEmpty();
            }

            @Override
            public Spliterator<T> spliterator() {
                return Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL);
            }
        };
    }
}
