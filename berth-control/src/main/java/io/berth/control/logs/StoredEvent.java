package io.berth.control.logs;

/** One stored log event. */
public record StoredEvent(long id, long streamId, long timestamp, long ingestionTime, String message) {

    /** An event to store. */
    public record New(long timestamp, String message) {
    }

    public EventPosition position() {
        return new EventPosition(timestamp, id);
    }
}
