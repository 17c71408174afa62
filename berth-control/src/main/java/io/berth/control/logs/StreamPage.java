package io.berth.control.logs;

/**
 * Which streams of a group to list, and from where.
 *
 * @param prefix names starting with it (empty for all); only with {@link Order#NAME}
 * @param afterTime with {@link Order#LAST_EVENT_TIME}, the last event time of the cursor's stream
 * @param afterName the name of the stream the previous page ended with, null for the first page
 */
public record StreamPage(Order order, boolean descending, String prefix, long afterTime, String afterName,
        int limit) {

    public enum Order {
        NAME,
        /** By the last event's timestamp (0 for a stream without events), then by name. */
        LAST_EVENT_TIME
    }
}
