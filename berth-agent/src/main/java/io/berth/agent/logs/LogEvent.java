package io.berth.agent.logs;

/**
 * One CloudWatch Logs event ready to ship.
 *
 * @param timestamp milliseconds since the epoch
 * @param message the text, at most {@link EventGrouper#MAX_EVENT_BYTES} bytes of UTF-8
 * @param bytes the UTF-8 length of the message
 * @param shippedThrough once this event is acknowledged, every log line up to this sequence number is shipped
 */
record LogEvent(long timestamp, String message, int bytes, long shippedThrough) {
}
