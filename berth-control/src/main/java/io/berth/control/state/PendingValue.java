package io.berth.control.state;

import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A value a write has put into its region's table while its store commit is not durable yet; a null {@code after}
 * is a removal. The region's writer reads the newest value ({@link #newest}), so that the next write builds on it
 * as group commit needs; every other reader reads the last durable one ({@link #durable}), so that nobody outside
 * the writer sees a change the store may still lose. Once its commit is settled the holder gives way to the plain
 * value in the table.
 */
final class PendingValue {

    private final ConcurrentMap<String, Object> table;
    private final String id;
    private final Object after;
    private final AtomicInteger outstanding;
    /**
     * What readers see. While pending: the table entry this replaced, itself possibly pending. Once settled: a plain
     * value (null for absent): {@code after} when durable, the last durable value before it when failed. One field,
     * so that a reader never sees half a settlement.
     */
    private volatile Object visible;

    /** {@code replaced} is the table's entry before this one, decoded; {@code outstanding} counts unsettled holders. */
    PendingValue(ConcurrentMap<String, Object> table, String id, Object after, Object replaced,
            AtomicInteger outstanding) {
        this.table = table;
        this.id = id;
        this.after = after;
        this.visible = replaced;
        this.outstanding = outstanding;
    }

    /** The newest value behind a table entry, as the region's writer sees it; null when removed. */
    static Object newest(Object entry) {
        return entry instanceof PendingValue pending ? pending.after : entry;
    }

    /** The last durable value behind a table entry, as readers outside the writer see it; null when absent. */
    static Object durable(Object entry) {
        Object value = entry;
        while (value instanceof PendingValue pending) {
            value = pending.visible;
        }
        return value;
    }

    /** The commit is durable: every reader sees the value from now on. */
    void markDurable() {
        visible = after;
    }

    /** The commit failed: readers keep the last durable value before this one for good. */
    void markFailed() {
        visible = durable(visible);
    }

    /**
     * Puts the settled value in the table in place of this holder, unless a later write has replaced the holder:
     * that write's own holder already reads through this one.
     */
    void giveWay() {
        Object settled = visible;
        if (settled == null) {
            table.remove(id, this);
        } else {
            table.replace(id, this, settled);
        }
        outstanding.decrementAndGet();
    }
}
