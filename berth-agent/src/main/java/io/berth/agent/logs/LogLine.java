package io.berth.agent.logs;

import java.time.Instant;

/**
 * One message of a container's Docker log (a line, or a part of a long one), numbered in reading order.
 *
 * @param seq its place in the log as this shipper read it, from 1
 * @param time when Docker received it
 * @param text the message without its line end
 */
record LogLine(long seq, Instant time, String text) {
}
