package io.berth.store;

import io.berth.control.logs.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A run of one stream's events kept as one row of {@code log_blocks}, so that an append writes one
 * row and a few index entries however many events it holds. The events are in timestamp order (then
 * the order they were appended in) and their ids run on from {@code firstId}; each is encoded as the
 * distance of its timestamp from the previous one's (the first's from {@code minTime}) and its
 * message's UTF-8 length, both unsigned varints, then the message's bytes. The array is never
 * changed once built.
 *
 * @param messageBytes the UTF-8 bytes of the messages, for the group's figures
 */
record LogBlock(long streamId, long minTime, long maxTime, long firstId, int count, long ingestionTime,
        long messageBytes, byte[] events) {

    /**
     * The longest time a block spans: a batch spanning more is stored as several blocks. It bounds how
     * far before a position a read looks for blocks that reach it.
     */
    static final long MAX_SPAN_MILLIS = 60_000;

    /**
     * The events as blocks, their ids consecutive from {@code firstId} in timestamp order (events with
     * the same timestamp keep the order given).
     */
    static List<LogBlock> encode(long streamId, List<StoredEvent.New> events, long firstId, long ingestionTime) {
        List<StoredEvent.New> sorted = events;
        for (int i = 1; i < events.size(); i++) {
            if (events.get(i).timestamp() < events.get(i - 1).timestamp()) {
                sorted = new ArrayList<>(events);
                sorted.sort(Comparator.comparingLong(StoredEvent.New::timestamp));
                break;
            }
        }
        byte[][] messages = new byte[sorted.size()][];
        for (int i = 0; i < messages.length; i++) {
            messages[i] = sorted.get(i).message().getBytes(StandardCharsets.UTF_8);
        }
        List<LogBlock> blocks = new ArrayList<>(1);
        int start = 0;
        while (start < messages.length) {
            // The block's events and its exact size, so that it is built in one array.
            long minTime = sorted.get(start).timestamp();
            long previous = minTime;
            long size = 0;
            int end = start;
            while (end < messages.length && sorted.get(end).timestamp() - minTime <= MAX_SPAN_MILLIS) {
                long timestamp = sorted.get(end).timestamp();
                size += varintSize(timestamp - previous) + varintSize(messages[end].length) + messages[end].length;
                previous = timestamp;
                end++;
            }
            Builder builder = new Builder(streamId, minTime, firstId + start, ingestionTime,
                    (int) Math.min(size, Integer.MAX_VALUE - 16));
            for (int i = start; i < end; i++) {
                builder.add(sorted.get(i).timestamp(), messages[i]);
            }
            blocks.add(builder.build());
            start = end;
        }
        return blocks;
    }

    private static int varintSize(long value) {
        return Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
    }

    /** The block without its first {@code n} events (fewer than it holds). */
    LogBlock withoutFirst(int n) {
        Cursor cursor = cursor();
        for (int i = 0; i < n; i++) {
            cursor.next();
        }
        Builder builder = null;
        while (cursor.next()) {
            if (builder == null) {
                builder = new Builder(streamId, cursor.timestamp(), cursor.id(), ingestionTime, events.length);
            }
            builder.add(cursor.timestamp(), events, cursor.offset(), cursor.length());
        }
        return builder.build();
    }

    Cursor cursor() {
        return new Cursor(this);
    }

    /** Walks a block's events in order; {@link #next} moves to the next one. */
    static final class Cursor {

        private final LogBlock block;
        private int index = -1;
        private int at;
        private long timestamp;
        private int offset;
        private int length;

        private Cursor(LogBlock block) {
            this.block = block;
            this.timestamp = block.minTime;
        }

        /** Moves to the next event; false past the last one. */
        boolean next() {
            if (index + 1 >= block.count) {
                return false;
            }
            index++;
            byte[] data = block.events;
            long delta = 0;
            int shift = 0;
            byte b;
            do {
                b = data[at++];
                delta |= (long) (b & 0x7f) << shift;
                shift += 7;
            } while (b < 0);
            int size = 0;
            shift = 0;
            do {
                b = data[at++];
                size |= (b & 0x7f) << shift;
                shift += 7;
            } while (b < 0);
            timestamp += delta;
            offset = at;
            length = size;
            at += size;
            return true;
        }

        long timestamp() {
            return timestamp;
        }

        long id() {
            return block.firstId + index;
        }

        /** Where the message's UTF-8 bytes are in {@link LogBlock#events()}. */
        int offset() {
            return offset;
        }

        int length() {
            return length;
        }

        String message() {
            return new String(block.events, offset, length, StandardCharsets.UTF_8);
        }
    }

    /** Encodes events in order into a block. */
    private static final class Builder {

        private final long streamId;
        private final long minTime;
        private final long firstId;
        private final long ingestionTime;
        private byte[] data;
        private int size;
        private int count;
        private long last;
        private long messageBytes;

        Builder(long streamId, long minTime, long firstId, long ingestionTime, int capacity) {
            this.data = new byte[Math.max(capacity, 16)];
            this.streamId = streamId;
            this.minTime = minTime;
            this.firstId = firstId;
            this.ingestionTime = ingestionTime;
            this.last = minTime;
        }

        void add(long timestamp, byte[] message) {
            add(timestamp, message, 0, message.length);
        }

        void add(long timestamp, byte[] message, int offset, int length) {
            ensure(varintSize(timestamp - last) + varintSize(length) + length);
            varint(timestamp - last);
            varint(length);
            System.arraycopy(message, offset, data, size, length);
            size += length;
            last = timestamp;
            count++;
            messageBytes += length;
        }

        private void varint(long value) {
            while ((value & ~0x7fL) != 0) {
                data[size++] = (byte) ((value & 0x7f) | 0x80);
                value >>>= 7;
            }
            data[size++] = (byte) value;
        }

        private void ensure(int more) {
            if (size + more > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, size + more));
            }
        }

        LogBlock build() {
            return new LogBlock(streamId, minTime, last, firstId, count, ingestionTime, messageBytes,
                    size == data.length ? data : Arrays.copyOf(data, size));
        }
    }
}
