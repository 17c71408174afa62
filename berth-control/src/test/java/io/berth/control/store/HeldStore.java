package io.berth.control.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A store in memory that holds its commits while told to, until released, and fails them while told to: for tests
 * of what is seen while a commit is under way or after it failed.
 */
public final class HeldStore implements Store {
    /** What the store holds. */
    public final MemoryStore memory = new MemoryStore();
    /** How many commits were attempted. */
    public final AtomicInteger applies = new AtomicInteger();
    private final Semaphore applying = new Semaphore(0);
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile boolean failing;

    /** Holds the commits from now on until {@link #release}. */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    /** Lets the held commits through. */
    public void release() {
        gate.countDown();
    }

    /** Makes the commits fail from now on, as a full disk or a fenced leader would. */
    public void fail() {
        failing = true;
    }

    /** Waits until a commit is held. */
    public void awaitApply() throws InterruptedException {
        assertThat(applying.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    }

    @Override
    public void apply(List<Mutation> batch) {
        applies.incrementAndGet();
        CountDownLatch held = gate;
        if (held.getCount() > 0) {
            applying.release();
        }
        try {
            held.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failing) {
            throw new IllegalStateException("disk full");
        }
        memory.apply(batch);
    }

    @Override
    public void loadAll(Consumer<Document> sink) {
        memory.loadAll(sink);
    }

    @Override
    public List<Document> list(String kind, String scope) {
        return memory.list(kind, scope);
    }

    @Override
    public void close() {
    }
}
