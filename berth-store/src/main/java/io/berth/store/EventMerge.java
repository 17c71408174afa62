package io.berth.store;

import io.berth.control.logs.EventPosition;
import io.berth.control.logs.StoredEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Picks the events a read or scan answers from blocks whose times overlap: reading forward, the first
 * {@code limit} events after {@code low} and before {@code high}; backward, the last ones. Blocks come
 * in the order of their first timestamp (forward) or of their last (backward), and {@link #complete}
 * says when no block from there on can hold an event that would be picked. Only the picked events
 * become strings.
 */
final class EventMerge {

    /** An event kept so far: where its message is in its block. */
    private record Kept(long timestamp, long id, LogBlock block, int offset, int length) {

        StoredEvent event() {
            return new StoredEvent(id, block.streamId(), timestamp, block.ingestionTime(),
                    new String(block.events(), offset, length, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static final Comparator<Kept> ASCENDING = (a, b) -> {
        int byTime = Long.compare(a.timestamp(), b.timestamp());
        return byTime != 0 ? byTime : Long.compare(a.id(), b.id());
    };

    private final boolean forward;
    private final EventPosition low;
    private final EventPosition high;
    private final List<List<byte[]>> mustContain;
    private final int limit;
    /** The worst kept event first: the latest reading forward, the earliest backward. */
    private final PriorityQueue<Kept> kept;

    /**
     * @param mustContain for each set, the UTF-8 of strings of which a message must contain at least one
     */
    EventMerge(boolean forward, EventPosition low, EventPosition high, List<List<byte[]>> mustContain, int limit) {
        this.forward = forward;
        this.low = low;
        this.high = high;
        this.mustContain = mustContain;
        this.limit = limit;
        this.kept = new PriorityQueue<>(Math.min(limit, 1024) + 1, forward ? ASCENDING.reversed() : ASCENDING);
    }

    boolean forward() {
        return forward;
    }

    /** Whether this block, and every one after it in the order read, holds nothing that would be picked. */
    boolean complete(long minTime, long maxTime) {
        if (kept.size() < limit) {
            return false;
        }
        return forward ? kept.peek().timestamp() < minTime : kept.peek().timestamp() > maxTime;
    }

    void add(LogBlock block) {
        LogBlock.Cursor cursor = block.cursor();
        while (cursor.next()) {
            long timestamp = cursor.timestamp();
            long id = cursor.id();
            if (!after(timestamp, id, low.timestamp(), low.id())) {
                continue;
            }
            if (!after(high.timestamp(), high.id(), timestamp, id)) {
                return; // The block's events are in order: the rest are past the high end too.
            }
            if (kept.size() == limit) {
                Kept worst = kept.peek();
                if (forward && !after(worst.timestamp(), worst.id(), timestamp, id)) {
                    return; // Later than every event kept, and so are the rest of the block's.
                }
                if (!forward && !after(timestamp, id, worst.timestamp(), worst.id())) {
                    continue;
                }
            }
            if (!matches(block.events(), cursor.offset(), cursor.length())) {
                continue;
            }
            kept.add(new Kept(timestamp, id, block, cursor.offset(), cursor.length()));
            if (kept.size() > limit) {
                kept.poll();
            }
        }
    }

    /** The events picked, in ascending order. */
    List<StoredEvent> events() {
        List<Kept> picked = new ArrayList<>(kept);
        picked.sort(ASCENDING);
        List<StoredEvent> events = new ArrayList<>(picked.size());
        for (Kept event : picked) {
            events.add(event.event());
        }
        return events;
    }

    private static boolean after(long timestamp, long id, long otherTimestamp, long otherId) {
        return timestamp > otherTimestamp || (timestamp == otherTimestamp && id > otherId);
    }

    private boolean matches(byte[] data, int offset, int length) {
        for (List<byte[]> anyOf : mustContain) {
            boolean found = false;
            for (byte[] text : anyOf) {
                if (contains(data, offset, length, text)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the bytes hold the text. On UTF-8 this is the same as the strings containing one another:
     * a character's encoding never starts inside another's.
     */
    static boolean contains(byte[] data, int offset, int length, byte[] text) {
        if (text.length == 0) {
            return true;
        }
        byte first = text[0];
        int last = offset + length - text.length;
        outer:
        for (int i = offset; i <= last; i++) {
            if (data[i] != first) {
                continue;
            }
            for (int j = 1; j < text.length; j++) {
                if (data[i + j] != text[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
