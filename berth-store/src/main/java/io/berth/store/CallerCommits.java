package io.berth.store;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit on the callers' own threads: a write queues up, then its caller takes the connection's
 * lock and, unless an earlier holder already committed it, runs every write waiting in one transaction
 * and commits once. Unlike {@link LogWriter} no write is handed to another thread and back, which on a
 * busy machine costs more than a commit that need not reach the disk.
 */
final class CallerCommits implements AutoCloseable {

    private final Connection connection;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Queue<LogWriter.Job<?>> waiting = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    /** @param connection used under the lock only, with auto-commit off */
    CallerCommits(Connection connection, String name) {
        this.connection = connection;
        this.name = name;
    }

    /** Runs the write and returns once it is committed. */
    <R> R write(LogWriter.Work<R> work) {
        LogWriter.Job<R> job = new LogWriter.Job<>(work, new CompletableFuture<>());
        waiting.add(job);
        lock.lock();
        try {
            if (!job.done().isDone()) {
                commitWaiting();
            }
        } finally {
            lock.unlock();
        }
        return LogWriter.resultOf(job);
    }

    private void commitWaiting() {
        List<LogWriter.Job<?>> group = new ArrayList<>();
        for (LogWriter.Job<?> job; (job = waiting.poll()) != null; ) {
            group.add(job);
        }
        if (closed) {
            StoreException failure = new StoreException("The " + name + " is closed", null);
            group.forEach(job -> job.done().completeExceptionally(failure));
            return;
        }
        List<Runnable> onCommit = new ArrayList<>();
        for (LogWriter.Job<?> job : group) {
            job.runIn(connection, onCommit);
        }
        LogWriter.commit(connection, group, onCommit);
    }

    /** Later writes are refused; one being committed finishes first. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }
}
