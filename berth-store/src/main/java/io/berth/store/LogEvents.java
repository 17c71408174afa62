package io.berth.store;

import io.berth.control.logs.EventPosition;
import io.berth.control.logs.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The SQL that appends and reads log events, kept as {@link LogBlock}s: one row per append (or per
 * minute of it), indexed by stream and by group on its first timestamp, and by stream on its last.
 * A read walks the blocks that may hold its range in order, a page of them at a time, and stops as
 * soon as the blocks left cannot change its answer ({@link EventMerge}).
 */
final class LogEvents {

    /** Blocks read per query: a read usually needs only the first few, a scan goes on page after page. */
    private static final int BLOCKS_PER_QUERY = 32;
    static final String BLOCK_COLUMNS =
            "id, min_time, max_time, stream_id, first_id, event_count, ingestion_time, message_bytes, events";
    private static final String FORWARD = " ORDER BY min_time, max_time, id";
    private static final String BACKWARD = " ORDER BY max_time DESC, min_time DESC, id DESC";

    private final LogSchema schema;

    LogEvents(LogSchema schema) {
        this.schema = schema;
    }

    OptionalLong append(Connection c, long groupId, long streamId, List<StoredEvent.New> events, long ingestionTime)
            throws SQLException {
        long lastId;
        try (PreparedStatement counter = c.prepareStatement(
                "UPDATE log_counters SET value = value + ? WHERE name = 'event' RETURNING value")) {
            counter.setLong(1, events.size());
            lastId = LogStatements.firstLong(counter).orElseThrow();
        }
        List<LogBlock> blocks = LogBlock.encode(streamId, events, lastId - events.size() + 1, ingestionTime);
        long first = blocks.get(0).minTime();
        long last = Long.MIN_VALUE;
        long bytes = 0;
        for (LogBlock block : blocks) {
            last = Math.max(last, block.maxTime());
            bytes += block.messageBytes();
        }
        try (PreparedStatement stream = c.prepareStatement("UPDATE log_streams SET "
                + "first_event_timestamp = CASE WHEN first_event_timestamp = 0 OR first_event_timestamp > ? "
                + "THEN ? ELSE first_event_timestamp END, "
                + "last_event_timestamp = CASE WHEN last_event_timestamp < ? THEN ? ELSE last_event_timestamp END, "
                + "last_ingestion_time = ?, upload_sequence = ? WHERE id = ? AND group_id = ?")) {
            stream.setLong(1, first);
            stream.setLong(2, first);
            stream.setLong(3, last);
            stream.setLong(4, last);
            stream.setLong(5, ingestionTime);
            stream.setLong(6, lastId);
            stream.setLong(7, streamId);
            stream.setLong(8, groupId);
            if (stream.executeUpdate() == 0) {
                return OptionalLong.empty();
            }
        }
        try (PreparedStatement group = c.prepareStatement(
                "UPDATE log_groups SET stored_bytes = stored_bytes + ? WHERE id = ?")) {
            group.setLong(1, bytes);
            group.setLong(2, groupId);
            group.executeUpdate();
        }
        insert(c, groupId, blocks);
        return OptionalLong.of(lastId);
    }

    static void insert(Connection c, long groupId, List<LogBlock> blocks) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO log_blocks (group_id, stream_id, min_time, "
                + "max_time, first_id, event_count, ingestion_time, message_bytes, events) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (LogBlock block : blocks) {
                insert.setLong(1, groupId);
                insert.setLong(2, block.streamId());
                insert.setLong(3, block.minTime());
                insert.setLong(4, block.maxTime());
                insert.setLong(5, block.firstId());
                insert.setInt(6, block.count());
                insert.setLong(7, block.ingestionTime());
                insert.setLong(8, block.messageBytes());
                insert.setBytes(9, block.events());
                if (blocks.size() == 1) {
                    insert.executeUpdate();
                } else {
                    insert.addBatch();
                }
            }
            if (blocks.size() > 1) {
                insert.executeBatch();
            }
        }
    }

    List<StoredEvent> read(Connection c, long streamId, long startTime, long endTime, EventPosition boundary,
            boolean forward, int limit) throws SQLException {
        EventPosition low = forward ? max(boundary, EventPosition.before(startTime)) : EventPosition.before(startTime);
        EventPosition high = forward ? EventPosition.before(endTime) : min(boundary, EventPosition.before(endTime));
        EventMerge merge = new EventMerge(forward, low, high, List.of(), limit);
        if (forward) {
            walk(c, "stream_id", streamId, minus(low.timestamp(), LogBlock.MAX_SPAN_MILLIS), high.timestamp(),
                    " AND max_time >= ?", List.of(low.timestamp()), merge);
        } else {
            walk(c, "stream_id", streamId, low.timestamp(), plus(high.timestamp(), LogBlock.MAX_SPAN_MILLIS),
                    " AND min_time <= ?", List.of(high.timestamp()), merge);
        }
        return merge.events();
    }

    /** As {@link io.berth.control.logs.LogStore#scan}, the streams (if any) given as a short list of ids. */
    List<StoredEvent> scan(Connection c, long groupId, Set<Long> streamIds, long startTime, long endTime,
            EventPosition after, List<List<String>> mustContain, int limit) throws SQLException {
        EventPosition low = max(after, EventPosition.before(startTime));
        EventPosition high = EventPosition.before(endTime);
        StringBuilder where = new StringBuilder(" AND max_time >= ?");
        List<Object> parameters = new ArrayList<>(List.of(low.timestamp()));
        if (streamIds != null) {
            where.append(" AND stream_id IN (").append("?, ".repeat(streamIds.size() - 1)).append("?)");
            parameters.addAll(streamIds);
        }
        // A block none of whose bytes hold a text holds no event that does: it is skipped unread.
        List<List<byte[]>> texts = new ArrayList<>();
        for (List<String> anyOf : mustContain) {
            where.append(" AND (").append(String.join(" OR ", Collections.nCopies(anyOf.size(), schema.contains())))
                    .append(')');
            List<byte[]> encoded = anyOf.stream().map(text -> text.getBytes(StandardCharsets.UTF_8)).toList();
            parameters.addAll(encoded);
            texts.add(encoded);
        }
        EventMerge merge = new EventMerge(true, low, high, texts, limit);
        walk(c, "group_id", groupId, minus(low.timestamp(), LogBlock.MAX_SPAN_MILLIS), high.timestamp(),
                where.toString(), parameters, merge);
        return merge.events();
    }

    /**
     * Feeds the merge the blocks of the stream or group ({@code owner} names the column) whose first
     * timestamp (reading forward) or last (backward) is in {@code [from, to]} and that pass the filters,
     * in that order, until the merge is complete or they run out. Each page seeks to where the last
     * one ended.
     */
    private static void walk(Connection c, String owner, long ownerId, long from, long to, String filters,
            List<?> filterParameters, EventMerge merge) throws SQLException {
        boolean forward = merge.forward();
        String key = forward ? "min_time" : "max_time";
        String select = "SELECT " + BLOCK_COLUMNS + " FROM log_blocks WHERE " + owner + " = ? AND " + key
                + " >= ? AND " + key + " <= ?" + filters;
        String first = select + (forward ? FORWARD : BACKWARD) + " LIMIT ?";
        String next = select + (forward ? " AND (min_time, max_time, id) > (?, ?, ?)" + FORWARD
                : " AND (max_time, min_time, id) < (?, ?, ?)" + BACKWARD) + " LIMIT ?";
        long[] last = null;
        while (true) {
            int rows = 0;
            try (PreparedStatement statement = c.prepareStatement(last == null ? first : next)) {
                statement.setLong(1, ownerId);
                statement.setLong(2, last != null && forward ? last[0] : from);
                statement.setLong(3, last != null && !forward ? last[0] : to);
                int i = bind(statement, 4, filterParameters);
                if (last != null) {
                    for (long value : last) {
                        statement.setLong(i++, value);
                    }
                }
                statement.setInt(i, BLOCKS_PER_QUERY);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        long id = rs.getLong(1);
                        long minTime = rs.getLong(2);
                        long maxTime = rs.getLong(3);
                        if (merge.complete(minTime, maxTime)) {
                            return;
                        }
                        merge.add(block(rs));
                        last = forward ? new long[] {minTime, maxTime, id} : new long[] {maxTime, minTime, id};
                    }
                }
            }
            if (rows < BLOCKS_PER_QUERY) {
                return;
            }
        }
    }

    /** The block of the result's current row, selected as {@link #BLOCK_COLUMNS}. */
    static LogBlock block(ResultSet rs) throws SQLException {
        return new LogBlock(rs.getLong(4), rs.getLong(2), rs.getLong(3), rs.getLong(5), rs.getInt(6), rs.getLong(7),
                rs.getLong(8), rs.getBytes(9));
    }

    private static int bind(PreparedStatement statement, int first, List<?> parameters) throws SQLException {
        int i = first;
        for (Object parameter : parameters) {
            if (parameter instanceof byte[] bytes) {
                statement.setBytes(i++, bytes);
            } else {
                statement.setLong(i++, (Long) parameter);
            }
        }
        return i;
    }

    private static long minus(long time, long span) {
        return time < Long.MIN_VALUE + span ? Long.MIN_VALUE : time - span;
    }

    private static long plus(long time, long span) {
        return time > Long.MAX_VALUE - span ? Long.MAX_VALUE : time + span;
    }

    private static EventPosition max(EventPosition a, EventPosition b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static EventPosition min(EventPosition a, EventPosition b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
