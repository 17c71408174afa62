package io.berth.agent.logs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The events of one PutLogEvents call, within what CloudWatch Logs accepts: at most 10,000 events and 1,048,576 bytes
 * counting 26 bytes per event on top of each message, spanning at most 24 hours. Not thread-safe.
 */
final class Batch {

    static final int MAX_EVENTS = 10_000;
    static final int MAX_BYTES = 1_048_576;
    static final long MAX_SPAN_MILLIS = Duration.ofHours(24).toMillis();

    private final List<LogEvent> events = new ArrayList<>();
    private int bytes;
    private long earliest = Long.MAX_VALUE;
    private long latest = Long.MIN_VALUE;

    /** Whether {@code event} can join without breaking a limit. */
    boolean fits(LogEvent event) {
        if (events.isEmpty()) {
            return true;
        }
        return events.size() < MAX_EVENTS
                && bytes + event.bytes() + EventGrouper.EVENT_OVERHEAD_BYTES <= MAX_BYTES
                && Math.max(latest, event.timestamp()) - Math.min(earliest, event.timestamp()) <= MAX_SPAN_MILLIS;
    }

    void add(LogEvent event) {
        events.add(event);
        bytes += event.bytes() + EventGrouper.EVENT_OVERHEAD_BYTES;
        earliest = Math.min(earliest, event.timestamp());
        latest = Math.max(latest, event.timestamp());
    }

    /** Whether no further event of any size could join. */
    boolean full() {
        return events.size() >= MAX_EVENTS || bytes + EventGrouper.EVENT_OVERHEAD_BYTES >= MAX_BYTES;
    }

    boolean isEmpty() {
        return events.isEmpty();
    }

    int size() {
        return events.size();
    }

    /** Bytes as CloudWatch Logs counts them. */
    int bytes() {
        return bytes;
    }

    /** The events in time order, as PutLogEvents wants them; equal times keep the order they were read in. */
    List<LogEvent> inTimeOrder() {
        List<LogEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(LogEvent::timestamp));
        return sorted;
    }

    /** Every log line this batch vouches for, once acknowledged, is shipped up to this sequence number. */
    long shippedThrough() {
        return events.stream().mapToLong(LogEvent::shippedThrough).max().orElse(0);
    }

    void clear() {
        events.clear();
        bytes = 0;
        earliest = Long.MAX_VALUE;
        latest = Long.MIN_VALUE;
    }
}
