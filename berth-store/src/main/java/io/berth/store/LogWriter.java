package io.berth.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The one writer of a log store: writes queue up, and one thread runs all that are waiting in one
 * transaction, each inside its own savepoint, then commits once. A caller returns when the commit
 * holding its write is durable; concurrent callers share the cost of the commit.
 */
final class LogWriter implements AutoCloseable {

    /** One write, run on the writer's connection inside the transaction. */
    @FunctionalInterface
    interface Work<R> {
        R run(Connection connection) throws SQLException;
    }

    /** A write waiting for its commit; run inside the open transaction, completed once that commits. */
    record Job<R>(Work<R> work, CompletableFuture<R> done) {

        void runIn(Connection connection, List<Runnable> onCommit) {
            Savepoint savepoint = null;
            try {
                savepoint = connection.setSavepoint();
                R result = work.run(connection);
                connection.releaseSavepoint(savepoint);
                onCommit.add(() -> done.complete(result));
            } catch (SQLException | RuntimeException e) {
                try {
                    if (savepoint != null) {
                        connection.rollback(savepoint);
                    }
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                done.completeExceptionally(e instanceof StoreException ? e
                        : new StoreException("Cannot write to the log store", e));
            }
        }
    }

    /** At most this many writes share a transaction, so one commit does not keep the first waiting long. */
    private static final int MAX_GROUP = 256;
    private static final Job<Void> STOP = new Job<>(connection -> null, new CompletableFuture<>());

    private final Connection connection;
    private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private boolean closed;

    /** @param connection used by the writer thread only, with auto-commit off */
    LogWriter(Connection connection, String name) {
        this.connection = connection;
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /** Runs the write and returns once it is committed. */
    <R> R write(Work<R> work) {
        Job<R> job = new Job<>(work, new CompletableFuture<>());
        synchronized (queue) {
            if (closed) {
                throw new StoreException("The log store is closed", null);
            }
            queue.add(job);
        }
        return resultOf(job);
    }

    /** Waits for the job's commit and answers its result, or throws what its write or commit threw. */
    static <R> R resultOf(Job<R> job) {
        try {
            return job.done().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void run() {
        List<Job<?>> group = new ArrayList<>();
        List<Runnable> onCommit = new ArrayList<>();
        while (true) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(group, MAX_GROUP - 1);
            boolean stop = group.remove(STOP);
            for (Job<?> job : group) {
                job.runIn(connection, onCommit);
            }
            commit(connection, group, onCommit);
            group.clear();
            onCommit.clear();
            if (stop) {
                return;
            }
        }
    }

    /** Commits the group's transaction, then completes its writes; all fail when the commit does. */
    static void commit(Connection connection, List<Job<?>> group, List<Runnable> onCommit) {
        try {
            connection.commit();
            onCommit.forEach(Runnable::run);
        } catch (SQLException e) {
            StoreException failure = new StoreException("Cannot commit " + group.size() + " log writes", e);
            try {
                connection.rollback();
            } catch (SQLException suppressed) {
                failure.addSuppressed(suppressed);
            }
            group.forEach(job -> job.done().completeExceptionally(failure));
        }
    }

    /** Finishes the writes already queued, then stops; later writes are refused. */
    @Override
    public void close() {
        synchronized (queue) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
