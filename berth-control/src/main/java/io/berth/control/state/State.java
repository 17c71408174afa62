package io.berth.control.state;

import io.berth.control.Scope;
import io.berth.control.store.Mutation;
import io.berth.control.store.Store;
import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All regions' state, loaded from the store at start. Writes run one at a time per region; each
 * write's changes are committed to the store before {@link #write} returns, and concurrent writes
 * share one store transaction (group commit), so durability costs one sync per batch, not per call.
 */
public final class State implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(State.class);

    /** One write's changes on their way to the store; {@code done} completes once they are settled. */
    private record Pending(Transaction.Staged staged, CompletableFuture<Void> done) {

        List<Mutation> mutations() {
            return staged.mutations();
        }

        List<PendingValue> values() {
            return staged.values();
        }
    }

    // Large enough that the collector keeps each such array in the old generation from the start.
    private static final int PACK_BYTES = 16 << 20;

    private final Pending stop = new Pending(new Transaction.Staged(List.of(), List.of()), new CompletableFuture<>());
    private final Store store;
    private final Map<String, Kind<?>> kinds;
    private final Map<Scope, Region> regions = new ConcurrentHashMap<>();
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(65_536);
    private final Thread committer;
    private final List<Consumer<List<Change>>> listeners = new CopyOnWriteArrayList<>();
    private final CommitObserver commits;
    private volatile Throwable storeFailure;
    private final Object closing = new Object();
    private volatile boolean closed;
    private Thread decoder;
    private long loadStarted;
    private long storedRead;

    public State(Store store, List<Kind<?>> kinds) {
        this(store, kinds, CommitObserver.NONE);
    }

    /** As above, telling {@code commits} of every batch the store made durable. */
    public State(Store store, List<Kind<?>> kinds, CommitObserver commits) {
        this.store = store;
        this.commits = commits;
        this.kinds = kinds.stream().collect(Collectors.toUnmodifiableMap(Kind::name, k -> k));
        load();
        this.committer = Thread.ofPlatform().name("berth-store-committer").daemon(true).start(this::commitLoop);
    }

    /**
     * Reads every stored document into the regions as its JSON; {@link #decodeInBackground} decodes them later.
     * Decoding is most of the work of a start, and a read that comes first decodes the value it needs itself, so a
     * server can answer as soon as the documents are in memory.
     *
     * <p>The JSON is packed into large arrays rather than kept one array per document: the collector places such
     * arrays straight in the old generation, so a start does not copy the whole store from one young space to the
     * next while it reads.
     */
    private void load() {
        loadStarted = System.nanoTime();
        var reader = new Object() {
            String scopeKey;
            Region region;
            long count;
            byte[] pack = new byte[0];
            int packed;

            void add(String kind, String scope, String id, byte[] json) {
                Kind<?> known = kinds.get(kind);
                if (known == null) {
                    // Kept by others (access keys, accounts) in the same store.
                    log.debug("Not loading stored document of kind {}", kind);
                    return;
                }
                if (!scope.equals(scopeKey)) {
                    scopeKey = scope;
                    region = region(Scope.fromKey(scope));
                }
                if (json.length > PACK_BYTES / 4) {
                    region.putEncoded(known, id, json, 0, json.length);
                } else {
                    if (packed + json.length > pack.length) {
                        // Small at first, so that a small store does not take a large array.
                        pack = new byte[Math.min(PACK_BYTES, Math.max(64 << 10, pack.length * 2))];
                        packed = 0;
                    }
                    System.arraycopy(json, 0, pack, packed, json.length);
                    region.putEncoded(known, id, pack, packed, json.length);
                    packed += json.length;
                }
                count++;
            }
        };
        store.loadAllUtf8(reader::add);
        log.info("Read {} stored documents in {} ms", reader.count, (System.nanoTime() - loadStarted) / 1_000_000);
        storedRead = reader.count;
    }

    /**
     * Starts decoding, in the background, the stored documents the start read; a server calls it once it answers,
     * so that its own start-up has the cores to itself. Until a value is decoded, reading it decodes it.
     */
    public synchronized void decodeInBackground() {
        if (decoder == null && storedRead > 0) {
            long began = loadStarted;
            decoder = Thread.ofPlatform().name("berth-decode").daemon(true).start(() -> decodeAll(began));
        }
    }

    /**
     * Decodes what {@link #load} read, on all cores but one, which stays free to answer requests meanwhile.
     */
    private void decodeAll(long began) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().name("berth-decode-", 0).daemon(true).factory());
        try {
            long count = 0;
            for (Region region : List.copyOf(regions.values())) {
                count += region.decodeAll(pool);
            }
            log.info("Decoded {} stored documents {} ms after the start of loading", count,
                    (System.nanoTime() - began) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
        }
    }

    /** The state of one scope; an unknown scope reads as empty. */
    public Region region(Scope scope) {
        return regions.computeIfAbsent(scope, Region::new);
    }

    /** The scopes that hold any state. */
    public List<Scope> scopes() {
        return List.copyOf(regions.keySet());
    }

    /**
     * Runs the work as the only writer of the scope. When it returns normally its changes are
     * durable and visible to every reader; when it throws, nothing readable changed. Meanwhile the
     * scope's next writer already builds on the changes, while readers outside writes see them only
     * once the store's commit is durable.
     */
    public <R> R write(Scope scope, Function<Transaction, R> work) {
        if (closed) {
            throw notWriting();
        }
        if (storeFailure != null) {
            throw new IllegalStateException("The store failed; refusing writes", storeFailure);
        }
        Region region = region(scope);
        Pending pending;
        List<Change> changes;
        R result;
        region.writeLock.lock();
        try {
            Transaction tx = new Transaction(region);
            result = work.apply(tx);
            if (tx.isEmpty()) {
                return result;
            }
            changes = listeners.isEmpty() ? List.of() : tx.changes();
            pending = new Pending(tx.commitToRegion(), new CompletableFuture<>());
            enqueue(pending);
        } finally {
            region.writeLock.unlock();
        }
        awaitDurable(pending);
        notifyListeners(changes);
        return result;
    }

    /**
     * Registers a listener for committed changes. It runs on the writing thread after the change is
     * durable, outside the region's lock; writes of one scope may notify out of order, so a listener
     * should read the current state rather than trust the order of notifications.
     */
    public void onCommit(Consumer<List<Change>> listener) {
        listeners.add(listener);
    }

    private void notifyListeners(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        for (Consumer<List<Change>> listener : listeners) {
            try {
                listener.accept(changes);
            } catch (RuntimeException e) {
                log.warn("A commit listener failed", e);
            }
        }
    }

    /** Removes every resource of every scope, durably; answers how many were removed. */
    public int reset() {
        int removed = 0;
        for (Scope scope : scopes()) {
            removed += write(scope, tx -> {
                int count = 0;
                for (String kind : kinds.keySet()) {
                    for (String id : tx.region().ids(kind)) {
                        tx.delete(kinds.get(kind), id);
                        count++;
                    }
                }
                return count;
            });
        }
        return removed;
    }

    /**
     * Hands the write to the committer; once the state is closed, refuses it instead, as changing nothing: no
     * committer would ever make it durable.
     */
    private void enqueue(Pending pending) {
        RuntimeException refused;
        synchronized (closing) {
            if (closed) {
                refused = notWriting();
            } else {
                try {
                    queue.put(pending);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    refused = new EcsException("ServerException", 500, "Interrupted while committing");
                }
            }
        }
        pending.values().forEach(PendingValue::markFailed);
        giveWay(List.of(pending));
        throw refused;
    }

    /** The refusal of a write once the state is closed: a deposed leader's, which the client retries elsewhere. */
    private static EcsException notWriting() {
        return new EcsException("ServiceUnavailableException", 503,
                "This Berth server no longer takes writes; retry, and another node answers.");
    }

    private static void awaitDurable(Pending pending) {
        try {
            pending.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EcsException("ServerException", 500, "Interrupted while committing");
        } catch (ExecutionException e) {
            throw new IllegalStateException("The store failed to commit", e.getCause());
        }
    }

    private void commitLoop() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch);
            boolean stopping = batch.remove(stop);
            commit(batch);
            batch.clear();
            if (stopping) {
                stop.done().complete(null);
                return;
            }
        }
    }

    /**
     * Commits a batch to the store and settles its values: readers see them once the store holds them, and never
     * when the store failed. After one failure no later batch reaches the store, since its values were built on the
     * ones the store lost.
     */
    private void commit(List<Pending> batch) {
        long storeNanos = -1;
        try {
            if (storeFailure != null) {
                throw new IllegalStateException("The store failed earlier; refusing writes", storeFailure);
            }
            List<Mutation> mutations = lastPerDocument(batch);
            if (!mutations.isEmpty()) {
                long started = System.nanoTime();
                store.apply(mutations);
                storeNanos = System.nanoTime() - started;
            }
        } catch (RuntimeException e) {
            if (storeFailure == null) {
                storeFailure = e;
                log.error("Store commit failed; the server refuses further writes", e);
            }
            for (Pending pending : batch) {
                pending.values().forEach(PendingValue::markFailed);
            }
            batch.forEach(p -> p.done().completeExceptionally(e));
            giveWay(batch);
            return;
        }
        if (storeNanos >= 0) {
            observe(batch.size(), storeNanos);
        }
        for (Pending pending : batch) {
            pending.values().forEach(PendingValue::markDurable);
        }
        batch.forEach(p -> p.done().complete(null));
        giveWay(batch);
    }

    private void observe(int writes, long nanos) {
        try {
            commits.committed(writes, nanos);
        } catch (RuntimeException e) {
            log.warn("A commit observer failed", e);
        }
    }

    /** Replaces the batch's settled values in the tables by plain ones, after the writers were let go. */
    private static void giveWay(List<Pending> batch) {
        for (Pending pending : batch) {
            pending.values().forEach(PendingValue::giveWay);
        }
    }

    /**
     * The batch's changes with only the last one of each document: the store ends in the same state, and a document
     * written by several writes of one batch (an instance whose ledger each placement changes, a task placed and
     * reported) is written once.
     */
    private static List<Mutation> lastPerDocument(List<Pending> batch) {
        record Key(String kind, String scope, String id) {
        }
        Map<Key, Mutation> last = new LinkedHashMap<>();
        for (Pending pending : batch) {
            for (Mutation mutation : pending.mutations()) {
                Key key = new Key(mutation.kind(), mutation.scope(), mutation.id());
                // Removed first, so that the order of the remaining changes stays the order they were made in.
                last.remove(key);
                last.put(key, mutation);
            }
        }
        return new ArrayList<>(last.values());
    }

    @Override
    public void close() {
        synchronized (this) {
            if (decoder != null) {
                decoder.interrupt();
            }
        }
        synchronized (closing) {
            if (closed) {
                return;
            }
            closed = true;
            // Every write enqueued before is ahead of it, and none can follow: the committer ends with all committed.
            try {
                queue.put(stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            committer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
