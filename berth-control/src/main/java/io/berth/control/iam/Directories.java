package io.berth.control.iam;

import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import io.berth.control.store.Document;
import io.berth.control.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The accounts' IAM directories, kept straight in the store (one document per account, the account
 * id as its scope) so that the command line and other server nodes see every change. Reads for
 * decisions come from a cache that is at most {@link #CACHE_TTL} old; reads for the IAM API and
 * every write go to the store, each written over the version it read.
 */
final class Directories {

    static final Duration CACHE_TTL = Duration.ofSeconds(5);
    static final Kind<Directory> KIND = Kinds.json("iam-directory", Directory.class);

    private record Cached(Directory directory, Instant until) {
    }

    private final Store store;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> writers = new ConcurrentHashMap<>();

    Directories(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The account's directory as stored now. */
    Directory read(String accountId) {
        return readStored(accountId).directory();
    }

    /** A directory with the JSON it was read from (null when none is stored), to write it back compared with. */
    private record Stored(Directory directory, String json) {
    }

    private Stored readStored(String accountId) {
        List<Document> documents = store.list(KIND.name(), accountId);
        String json = documents.isEmpty() ? null : documents.get(0).json();
        Directory directory = json == null ? Directory.empty() : KIND.decoder().apply(json);
        cache.put(accountId, new Cached(directory, clock.instant().plus(CACHE_TTL)));
        return new Stored(directory, json);
    }

    /** The account's directory, possibly up to {@link #CACHE_TTL} old. */
    Directory cached(String accountId) {
        Cached cached = cache.get(accountId);
        if (cached == null || clock.instant().isAfter(cached.until())) {
            return read(accountId);
        }
        return cached.directory();
    }

    /**
     * Changes the account's directory; the change is durable when this returns, and nothing changes if the work
     * throws. Answers what the work answers. Writes of one account are serialized in this process, and written
     * back only over the very version read: when another process wrote the directory meanwhile (a command line,
     * another node), the work runs again on what it wrote.
     */
    <R> R update(String accountId, Function<Directory, Change<R>> work) {
        ReentrantLock lock = writers.computeIfAbsent(accountId, a -> new ReentrantLock());
        lock.lock();
        try {
            while (true) {
                Stored current = readStored(accountId);
                Change<R> change = work.apply(current.directory());
                if (change.directory() == current.directory()) {
                    return change.result();
                }
                Directory next = change.directory().nextVersion();
                if (store.compareAndPut(new Document(KIND.name(), accountId, accountId, KIND.encoder().apply(next)),
                        current.json())) {
                    cache.put(accountId, new Cached(next, clock.instant().plus(CACHE_TTL)));
                    return change.result();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** A changed directory and what the operation answers. */
    record Change<R>(Directory directory, R result) {
    }
}
