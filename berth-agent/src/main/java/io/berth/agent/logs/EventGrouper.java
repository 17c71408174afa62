package io.berth.agent.logs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns log lines into events as Docker's {@code awslogs} driver does: each non-empty line is an event, or, with a
 * start pattern, a line matching it begins an event that takes the following lines (each ending in a newline) until
 * the next match, until the event would grow too big, or until no line has come for an idle period. An event over
 * {@link #MAX_EVENT_BYTES} is split into parts of at most that size, never inside a character. Not thread-safe.
 */
final class EventGrouper {

    /** What CloudWatch Logs counts for each event on top of its message. */
    static final int EVENT_OVERHEAD_BYTES = 26;
    /** The largest message of one event. */
    static final int MAX_EVENT_BYTES = 262_144 - EVENT_OVERHEAD_BYTES;

    private final Pattern eventStart;
    private final StringBuilder pending = new StringBuilder();
    private int pendingBytes;
    private long pendingTimestamp;
    private long pendingFirstSeq;
    private long pendingLastSeq;
    private long lastLineAt;

    /** @param eventStart what a line beginning an event matches (found anywhere in it); null for one line each */
    EventGrouper(Pattern eventStart) {
        this.eventStart = eventStart;
    }

    /** The events {@code line} completes; {@code now} is a monotonic clock reading in nanoseconds. */
    List<LogEvent> accept(LogLine line, long now) {
        List<LogEvent> events = new ArrayList<>();
        long timestamp = line.time().toEpochMilli();
        if (eventStart == null) {
            split(line.text(), utf8Length(line.text()), timestamp, line.seq(), line.seq(), events);
            return events;
        }
        int lineBytes = utf8Length(line.text());
        boolean startsEvent = eventStart.matcher(line.text()).find();
        if (pendingBytes > 0 && (startsEvent || pendingBytes + lineBytes > MAX_EVENT_BYTES)) {
            flushPending(events);
        }
        if (pendingBytes == 0) {
            pendingTimestamp = timestamp;
            pendingFirstSeq = line.seq();
        }
        pending.append(line.text());
        pendingBytes += lineBytes;
        if (lineBytes < MAX_EVENT_BYTES) {
            pending.append('\n');
            pendingBytes++;
        }
        pendingLastSeq = line.seq();
        lastLineAt = now;
        return events;
    }

    /** The event being gathered, when no line has joined it for {@code idle}. */
    List<LogEvent> takeIdle(long now, Duration idle) {
        List<LogEvent> events = new ArrayList<>();
        if (pendingBytes > 0 && now - lastLineAt >= idle.toNanos()) {
            flushPending(events);
        }
        return events;
    }

    /** The event being gathered, at the end of the log. */
    List<LogEvent> finish() {
        List<LogEvent> events = new ArrayList<>();
        flushPending(events);
        return events;
    }

    private void flushPending(List<LogEvent> events) {
        if (pendingBytes == 0) {
            return;
        }
        split(pending.toString(), pendingBytes, pendingTimestamp, pendingFirstSeq, pendingLastSeq, events);
        pending.setLength(0);
        pendingBytes = 0;
    }

    /**
     * Adds {@code message} as one event or several; only the last part vouches for the lines it came from, so that
     * an agent stopped between parts ships the whole message again rather than lose its end.
     */
    private static void split(String message, int bytes, long timestamp, long firstSeq, long lastSeq,
            List<LogEvent> events) {
        if (bytes <= MAX_EVENT_BYTES) {
            if (bytes > 0) {
                events.add(new LogEvent(timestamp, message, bytes, lastSeq));
            }
            return;
        }
        int start = 0;
        int partBytes = 0;
        for (int i = 0; i < message.length(); ) {
            int codePoint = message.codePointAt(i);
            int size = utf8Length(codePoint);
            if (partBytes + size > MAX_EVENT_BYTES) {
                events.add(new LogEvent(timestamp, message.substring(start, i), partBytes, firstSeq - 1));
                start = i;
                partBytes = 0;
            }
            partBytes += size;
            i += Character.charCount(codePoint);
        }
        events.add(new LogEvent(timestamp, message.substring(start), partBytes, lastSeq));
    }

    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            bytes += utf8Length(codePoint);
            i += Character.charCount(codePoint);
        }
        return bytes;
    }

    private static int utf8Length(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        // a lone surrogate is sent as U+FFFD, three bytes
        return codePoint < 0x10000 ? 3 : 4;
    }
}
