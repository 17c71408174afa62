package io.berth.agent.logs;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Events read but not yet taken into a batch, bounded by their size: in blocking mode a full buffer holds the reader
 * back (nothing is lost, Docker keeps the log), in non-blocking mode a line that does not fit is dropped and counted,
 * as Docker's {@code mode=non-blocking} does. An event bigger than the whole buffer still passes when it is empty.
 */
final class EventBuffer {

    private final long capacity;
    private final ArrayDeque<LogEvent> events = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private long size;
    private long dropped;
    private boolean closed;

    EventBuffer(long capacityBytes) {
        this.capacity = capacityBytes;
    }

    /** Adds the event, waiting for room; once the buffer is closed, drops it. */
    void put(LogEvent event) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!fits(event) && !closed) {
                notFull.await();
            }
            if (!closed) {
                append(event);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Adds the event if there is room now; otherwise drops and counts it. */
    boolean offer(LogEvent event) {
        lock.lock();
        try {
            if (!fits(event)) {
                dropped++;
                return false;
            }
            append(event);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The oldest event, waiting at most {@code timeout} for one; null when none came. */
    LogEvent poll(Duration timeout) throws InterruptedException {
        long nanos = Math.max(0, timeout.toNanos());
        lock.lockInterruptibly();
        try {
            while (events.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            LogEvent event = events.removeFirst();
            size -= weight(event);
            notFull.signalAll();
            return event;
        } finally {
            lock.unlock();
        }
    }

    /** Lets a reader waiting for room go: nothing will take events any more. */
    void close() {
        lock.lock();
        try {
            closed = true;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        lock.lock();
        try {
            return events.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Events dropped because the buffer was full. */
    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    private boolean fits(LogEvent event) {
        return events.isEmpty() || size + weight(event) <= capacity;
    }

    private void append(LogEvent event) {
        events.addLast(event);
        size += weight(event);
        notEmpty.signalAll();
    }

    private static long weight(LogEvent event) {
        return event.bytes() + EventGrouper.EVENT_OVERHEAD_BYTES;
    }
}
