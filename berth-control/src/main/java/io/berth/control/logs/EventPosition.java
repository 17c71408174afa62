package io.berth.control.logs;

/**
 * A place in the order of a group's or a stream's events: a timestamp, then the store's id, which
 * grows with each event stored. A position between events uses an id no event has (0 sorts before
 * every event of its millisecond, {@link Long#MAX_VALUE} after).
 */
public record EventPosition(long timestamp, long id) implements Comparable<EventPosition> {

    /** Before every event at or after the time. */
    public static EventPosition before(long timestamp) {
        return new EventPosition(timestamp, 0);
    }

    @Override
    public int compareTo(EventPosition other) {
        int byTime = Long.compare(timestamp, other.timestamp);
        return byTime != 0 ? byTime : Long.compare(id, other.id);
    }
}
