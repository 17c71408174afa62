package io.berth.agent.logs;

import java.util.Map;
import java.util.TreeMap;

/**
 * Follows log messages as they are consumed, in log order, to say at any time where the next one is: a
 * {@link LogPosition} whose {@code since} trails the newest second seen by one, so that a line written a little out
 * of time order is still counted. Not thread-safe.
 */
final class SinceCounter {

    private final LogPosition start;
    private final TreeMap<Long, Long> countBySecond = new TreeMap<>();
    private long since;
    private long counted;
    private long consumed;

    /** A counter at {@code start}, whose first {@code start.skip()} messages are yet to be fed to it again. */
    SinceCounter(LogPosition start) {
        this.start = start;
        this.since = start.since();
    }

    /** {@code count} more messages of epoch second {@code second} are consumed. */
    void consumed(long second, long count) {
        consumed += count;
        if (second >= since) {
            countBySecond.merge(second, count, Long::sum);
            counted += count;
        }
        // only once the messages the start position vouched for have been seen again can it move
        if (consumed >= start.skip()) {
            long next = Math.max(since, countBySecond.isEmpty() ? since : countBySecond.lastKey() - 1);
            Map<Long, Long> older = countBySecond.headMap(next);
            older.values().forEach(c -> counted -= c);
            older.clear();
            since = next;
        }
    }

    LogPosition position() {
        return consumed < start.skip() ? start : new LogPosition(since, counted, false);
    }
}
