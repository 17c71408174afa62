package io.berth.control.logs;

/**
 * A log stream as stored. The event figures are 0 until the stream has an event.
 *
 * @param uploadSequence grows with every batch appended
 */
public record StoredStream(long id, long groupId, String name, long creationTime, long firstEventTimestamp,
        long lastEventTimestamp, long lastIngestionTime, long uploadSequence) {

    public boolean hasEvents() {
        return lastIngestionTime != 0;
    }
}
