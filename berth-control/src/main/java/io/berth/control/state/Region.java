package io.berth.control.state;

import io.berth.control.Scope;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory state of one scope (account and region): a sorted table per kind, read without
 * locks. Only {@link State#write} changes it, one writer at a time.
 *
 * <p>A write's values enter the tables before its store commit is durable, held as {@link PendingValue}s: the
 * region's writer (the thread holding {@link #writeLock}) reads the newest values, so that writes chain while
 * their commits are grouped; every other reader reads the last durable ones, so a change is seen only once the
 * store holds it, and a commit that fails is never seen at all.
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
    // The values staged and not settled yet; while there are none, every entry is a plain value.
    private final AtomicInteger outstanding = new AtomicInteger();

    /**
     * Something worked out from every value of one kind (an index, a count), kept up to date as
     * values are committed, so that a writer need not scan the whole table for it. It changes only
     * under the region's write lock, so only writers (inside {@link State#write}) should read it.
     * It follows the values as the writer sees them: committed writes, including those whose store
     * commit is not durable yet, never a transaction's own uncommitted changes.
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
        Object entry = table.get(id);
        return Optional.ofNullable(cast(read(table, id, entry, entry instanceof PendingValue && isWriter())));
    }

    /** Every value of a kind, in id order. */
    public <T> Collection<T> all(Kind<T> kind) {
        return new Values<>(this, table(kind));
    }

    /** The values whose id starts with the prefix, in id order. */
    public <T> Collection<T> withPrefix(Kind<T> kind, String prefix) {
        return new Values<>(this, table(kind).subMap(prefix, true, prefix + Character.MAX_VALUE, false));
    }

    /** The values whose id starts with the prefix and comes after {@code afterId}, in id order. */
    public <T> Collection<T> withPrefixAfter(Kind<T> kind, String prefix, String afterId) {
        String from = afterId == null || afterId.compareTo(prefix) < 0 ? prefix : afterId;
        boolean inclusive = afterId == null || afterId.compareTo(prefix) < 0;
        return new Values<>(this, table(kind).subMap(from, inclusive, prefix + Character.MAX_VALUE, false));
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
                // The newest values, as the writer sees them; right after a start they may still be JSON.
                Object value = read(table, entry.getKey(), entry.getValue(), true);
                if (value != null) {
                    view.changed(entry.getKey(), null, cast(value));
                }
            }
            viewsByKind.computeIfAbsent(kind.name(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(view);
            views.put(key, view);
            return view;
        } finally {
            writeLock.unlock();
        }
    }

    /** The ids of a kind the reader sees, as {@link #all} does. */
    java.util.List<String> ids(String kind) {
        ConcurrentSkipListMap<String, Object> table = tables.get(kind);
        if (table == null) {
            return java.util.List.of();
        }
        boolean writer = isWriter();
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (Map.Entry<String, Object> entry : table.entrySet()) {
            if (seen(entry.getValue(), writer) != null) {
                ids.add(entry.getKey());
            }
        }
        return ids;
    }

    /**
     * Holds a stored document as its JSON, {@code json[offset, offset + length)}, until it is first read or
     * {@link #decodeAll} reaches it.
     */
    void putEncoded(Kind<?> kind, String id, byte[] json, int offset, int length) {
        decoding = true;
        table(kind).put(id, new Encoded(kind, json, offset, length));
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

    /**
     * Puts a write's value (null to remove it) into the table, pending until its store commit settles: the writer
     * sees it at once, other readers once it is durable. Runs under the write lock; views follow at once. Answers
     * null when there is nothing to change (removing what is absent).
     */
    PendingValue stage(String kind, String id, Object after) {
        ConcurrentSkipListMap<String, Object> table = tables.computeIfAbsent(kind, k -> new ConcurrentSkipListMap<>());
        Object entry = table.get(id);
        if (entry == null && after == null) {
            return null;
        }
        // Decoded now, so that no holder keeps JSON that the background decoding would never reach.
        Object replaced = entry instanceof Encoded encoded ? encoded.decode() : entry;
        PendingValue pending = new PendingValue(table, id, after, replaced, outstanding);
        outstanding.incrementAndGet();
        table.put(id, pending);
        Object before = PendingValue.newest(replaced);
        if (before != null || after != null) {
            notifyViews(kind, id, before, after);
        }
        return pending;
    }

    /** Whether no value of this region is pending: then every table entry is a value, possibly still JSON. */
    boolean settled() {
        return outstanding.get() == 0;
    }

    boolean decoding() {
        return decoding;
    }

    private boolean isWriter() {
        return writeLock.isHeldByCurrentThread();
    }

    /** The value behind a table entry as the reader sees it, decoded; null when absent for the reader. */
    Object read(ConcurrentMap<String, Object> table, String id, Object entry, boolean writer) {
        Object value = seen(entry, writer);
        return value instanceof Encoded ? decoded(table, id, value) : value;
    }

    /** The value behind a table entry as the reader sees it, possibly still JSON; null when absent for the reader. */
    static Object seen(Object entry, boolean writer) {
        return writer ? PendingValue.newest(entry) : PendingValue.durable(entry);
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

    private ConcurrentSkipListMap<String, Object> table(Kind<?> kind) {
        return tables.computeIfAbsent(kind.name(), k -> new ConcurrentSkipListMap<>());
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
