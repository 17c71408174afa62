package io.berth.agent.logs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.BiConsumer;

/**
 * Reads the messages out of a followed Docker log with timestamps: each is {@code <RFC 3339 time> <text>}, ending
 * in a newline unless Docker cut a long line into parts (each part is then a message of its own, as Docker's
 * {@code awslogs} driver sees it). Text that is not UTF-8 is read with replacement characters. Not thread-safe.
 */
final class DockerLogDecoder {

    private final BiConsumer<Instant, String> messages;
    private final ByteArrayOutputStream rawLine = new ByteArrayOutputStream();

    /** @param messages receives each message's time and text, in log order */
    DockerLogDecoder(BiConsumer<Instant, String> messages) {
        this.messages = messages;
    }

    /** One frame of the log: a whole message, or with a TTY ({@code raw}) any piece of the stream. */
    void frame(byte[] payload, boolean raw) {
        if (!raw) {
            message(payload, 0, payload.length);
            return;
        }
        int start = 0;
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] == '\n') {
                rawLine.write(payload, start, i - start);
                byte[] line = rawLine.toByteArray();
                rawLine.reset();
                message(line, 0, line.length);
                start = i + 1;
            }
        }
        rawLine.write(payload, start, payload.length - start);
    }

    /** The end of the log: a TTY's last line without a newline is a message too. */
    void end() {
        if (rawLine.size() > 0) {
            byte[] line = rawLine.toByteArray();
            rawLine.reset();
            message(line, 0, line.length);
        }
    }

    private void message(byte[] bytes, int from, int to) {
        int end = to > from && bytes[to - 1] == '\n' ? to - 1 : to;
        int space = -1;
        for (int i = from; i < Math.min(end, from + 40); i++) {
            if (bytes[i] == ' ') {
                space = i;
                break;
            }
        }
        Instant time = space < 0 ? null : time(new String(bytes, from, space - from, StandardCharsets.US_ASCII));
        if (time == null) {
            messages.accept(Instant.now(), new String(bytes, from, end - from, StandardCharsets.UTF_8));
        } else {
            messages.accept(time, new String(bytes, space + 1, Math.max(0, end - space - 1), StandardCharsets.UTF_8));
        }
    }

    private static Instant time(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
