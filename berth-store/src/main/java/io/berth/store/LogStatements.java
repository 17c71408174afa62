package io.berth.store;

import io.berth.control.logs.EventPosition;
import io.berth.control.logs.StoredEvent;
import io.berth.control.logs.StoredGroup;
import io.berth.control.logs.StoredStream;
import io.berth.control.logs.StreamPage;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** The SQL of the log store, the same on both databases but for what {@link LogSchema} words differently. */
final class LogStatements {

    /** Sorts after every character a name may hold, so {@code prefix + END} bounds the names with that prefix. */
    private static final String END = new String(Character.toChars(Character.MAX_CODE_POINT));
    private static final String GROUP_COLUMNS =
            "id, scope, name, creation_time, retention_days, kms_key_id, log_group_class, stored_bytes";
    private static final String STREAM_COLUMNS = "id, group_id, name, creation_time, first_event_timestamp, "
            + "last_event_timestamp, last_ingestion_time, upload_sequence";
    private static final String EVENT_COLUMNS = "id, stream_id, timestamp, ingestion_time, message";

    private final LogSchema schema;

    LogStatements(LogSchema schema) {
        this.schema = schema;
    }

    // Groups

    boolean createGroup(Connection c, StoredGroup.New group) throws SQLException {
        OptionalLong id;
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO log_groups "
                + "(scope, name, creation_time, kms_key_id, log_group_class) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (scope, name) DO NOTHING RETURNING id")) {
            insert.setString(1, group.scope());
            insert.setString(2, group.name());
            insert.setLong(3, group.creationTime());
            insert.setString(4, group.kmsKeyId());
            insert.setString(5, group.logGroupClass());
            id = firstLong(insert);
        }
        if (id.isEmpty()) {
            return false;
        }
        insertTags(c, id.getAsLong(), group.tags());
        return true;
    }

    Optional<StoredGroup> group(Connection c, String scope, String name) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT " + GROUP_COLUMNS + " FROM log_groups WHERE scope = ? AND name = ?")) {
            select.setString(1, scope);
            select.setString(2, name);
            List<StoredGroup> groups = groups(select);
            return groups.isEmpty() ? Optional.empty() : Optional.of(groups.get(0));
        }
    }

    List<StoredGroup> groups(Connection c, String scope, String prefix, String after, int limit) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + GROUP_COLUMNS + " FROM log_groups "
                + "WHERE scope = ? AND name >= ? AND name < ? AND name > ? ORDER BY name LIMIT ?")) {
            select.setString(1, scope);
            select.setString(2, prefix);
            select.setString(3, prefix + END);
            select.setString(4, after == null ? "" : after);
            select.setInt(5, limit);
            return groups(select);
        }
    }

    List<StoredGroup> groupsWithRetention(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + GROUP_COLUMNS
                + " FROM log_groups WHERE retention_days IS NOT NULL ORDER BY id")) {
            return groups(select);
        }
    }

    boolean deleteGroup(Connection c, String scope, String name) throws SQLException {
        OptionalLong id;
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM log_groups WHERE scope = ? AND name = ? RETURNING id")) {
            delete.setString(1, scope);
            delete.setString(2, name);
            id = firstLong(delete);
        }
        if (id.isEmpty()) {
            return false;
        }
        long groupId = id.getAsLong();
        update(c, "DELETE FROM log_group_tags WHERE group_id = ?", groupId);
        update(c, "DELETE FROM log_streams WHERE group_id = ?", groupId);
        update(c, "INSERT INTO log_purges (group_id) VALUES (?)", groupId);
        return true;
    }

    boolean setRetention(Connection c, long groupId, Integer days) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE log_groups SET retention_days = ? WHERE id = ?")) {
            if (days == null) {
                update.setNull(1, java.sql.Types.INTEGER);
            } else {
                update.setInt(1, days);
            }
            update.setLong(2, groupId);
            return update.executeUpdate() > 0;
        }
    }

    Map<String, String> tags(Connection c, long groupId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT key, value FROM log_group_tags WHERE group_id = ? ORDER BY key")) {
            select.setLong(1, groupId);
            Map<String, String> tags = new LinkedHashMap<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    tags.put(rs.getString(1), rs.getString(2));
                }
            }
            return tags;
        }
    }

    boolean setTags(Connection c, long groupId, Map<String, String> tags) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT id FROM log_groups WHERE id = ?")) {
            select.setLong(1, groupId);
            if (firstLong(select).isEmpty()) {
                return false;
            }
        }
        update(c, "DELETE FROM log_group_tags WHERE group_id = ?", groupId);
        insertTags(c, groupId, tags);
        return true;
    }

    private static void insertTags(Connection c, long groupId, Map<String, String> tags) throws SQLException {
        if (tags.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO log_group_tags (group_id, key, value) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                insert.setLong(1, groupId);
                insert.setString(2, tag.getKey());
                insert.setString(3, tag.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static List<StoredGroup> groups(PreparedStatement select) throws SQLException {
        List<StoredGroup> groups = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                int days = rs.getInt(5);
                Integer retention = rs.wasNull() ? null : days;
                groups.add(new StoredGroup(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), retention,
                        rs.getString(6), rs.getString(7), rs.getLong(8)));
            }
        }
        return groups;
    }

    // Streams

    boolean createStream(Connection c, long groupId, String name, long creationTime) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO log_streams (group_id, name, creation_time) "
                + "SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM log_groups WHERE id = ?) "
                + "ON CONFLICT (group_id, name) DO NOTHING")) {
            insert.setLong(1, groupId);
            insert.setString(2, name);
            insert.setLong(3, creationTime);
            insert.setLong(4, groupId);
            return insert.executeUpdate() > 0;
        }
    }

    Optional<StoredStream> stream(Connection c, long groupId, String name) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT " + STREAM_COLUMNS + " FROM log_streams WHERE group_id = ? AND name = ?")) {
            select.setLong(1, groupId);
            select.setString(2, name);
            List<StoredStream> streams = streams(select);
            return streams.isEmpty() ? Optional.empty() : Optional.of(streams.get(0));
        }
    }

    List<StoredStream> streams(Connection c, long groupId, StreamPage page) throws SQLException {
        String direction = page.descending() ? " DESC" : "";
        String beyond = page.descending() ? "<" : ">";
        boolean byName = page.order() == StreamPage.Order.NAME;
        String sql = "SELECT " + STREAM_COLUMNS + " FROM log_streams WHERE group_id = ? AND name >= ? AND name < ?"
                + (page.afterName() == null ? ""
                        : byName ? " AND name " + beyond + " ?" : " AND (last_event_timestamp, name) " + beyond + " (?, ?)")
                + (byName ? " ORDER BY name" + direction
                        : " ORDER BY last_event_timestamp" + direction + ", name" + direction)
                + " LIMIT ?";
        try (PreparedStatement select = c.prepareStatement(sql)) {
            int i = 1;
            select.setLong(i++, groupId);
            select.setString(i++, page.prefix());
            select.setString(i++, page.prefix() + END);
            if (page.afterName() != null) {
                if (!byName) {
                    select.setLong(i++, page.afterTime());
                }
                select.setString(i++, page.afterName());
            }
            select.setInt(i, page.limit());
            return streams(select);
        }
    }

    Map<Long, String> streamNames(Connection c, long groupId, String prefix) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, name FROM log_streams WHERE group_id = ? AND name >= ? AND name < ?")) {
            select.setLong(1, groupId);
            select.setString(2, prefix);
            select.setString(3, prefix + END);
            Map<Long, String> names = new LinkedHashMap<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    names.put(rs.getLong(1), rs.getString(2));
                }
            }
            return names;
        }
    }

    boolean deleteStream(Connection c, long groupId, String name) throws SQLException {
        OptionalLong id;
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM log_streams WHERE group_id = ? AND name = ? RETURNING id")) {
            delete.setLong(1, groupId);
            delete.setString(2, name);
            id = firstLong(delete);
        }
        if (id.isEmpty()) {
            return false;
        }
        try (PreparedStatement purge = c.prepareStatement(
                "INSERT INTO log_purges (group_id, stream_id) VALUES (?, ?)")) {
            purge.setLong(1, groupId);
            purge.setLong(2, id.getAsLong());
            purge.executeUpdate();
        }
        return true;
    }

    private static List<StoredStream> streams(PreparedStatement select) throws SQLException {
        List<StoredStream> streams = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                streams.add(new StoredStream(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8)));
            }
        }
        return streams;
    }

    // Events

    OptionalLong append(Connection c, long groupId, long streamId, List<StoredEvent.New> events, long ingestionTime)
            throws SQLException {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long bytes = 0;
        for (StoredEvent.New event : events) {
            first = Math.min(first, event.timestamp());
            last = Math.max(last, event.timestamp());
            bytes += event.message().getBytes(StandardCharsets.UTF_8).length;
        }
        long lastId;
        try (PreparedStatement counter = c.prepareStatement(
                "UPDATE log_counters SET value = value + ? WHERE name = 'event' RETURNING value")) {
            counter.setLong(1, events.size());
            lastId = firstLong(counter).orElseThrow();
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
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO log_events "
                + "(group_id, timestamp, id, stream_id, ingestion_time, message) VALUES (?, ?, ?, ?, ?, ?)")) {
            long id = lastId - events.size();
            for (StoredEvent.New event : events) {
                insert.setLong(1, groupId);
                insert.setLong(2, event.timestamp());
                insert.setLong(3, ++id);
                insert.setLong(4, streamId);
                insert.setLong(5, ingestionTime);
                insert.setString(6, event.message());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return OptionalLong.of(lastId);
    }

    List<StoredEvent> read(Connection c, long streamId, long startTime, long endTime, EventPosition boundary,
            boolean forward, int limit) throws SQLException {
        // The boundary and the time range make one range of the index: the plain timestamp bounds let either
        // database seek to it, the row value trims the millisecond the boundary is in.
        EventPosition low = forward ? max(boundary, EventPosition.before(startTime)) : EventPosition.before(startTime);
        EventPosition high = forward ? EventPosition.before(endTime) : min(boundary, EventPosition.before(endTime));
        String sql = "SELECT " + EVENT_COLUMNS + " FROM log_events WHERE stream_id = ? AND " + RANGE
                + (forward ? " ORDER BY timestamp, id" : " ORDER BY timestamp DESC, id DESC") + " LIMIT ?";
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setLong(1, streamId);
            int i = bindRange(select, 2, low, high);
            select.setInt(i, limit);
            List<StoredEvent> events = events(select);
            if (!forward) {
                Collections.reverse(events);
            }
            return events;
        }
    }

    /** Events after {@code low} and before {@code high}, both positions between events. */
    private static final String RANGE = "timestamp >= ? AND (timestamp, id) > (?, ?) AND timestamp <= ? "
            + "AND (timestamp, id) < (?, ?)";

    private static int bindRange(PreparedStatement statement, int first, EventPosition low, EventPosition high)
            throws SQLException {
        int i = first;
        statement.setLong(i++, low.timestamp());
        statement.setLong(i++, low.timestamp());
        statement.setLong(i++, low.id());
        statement.setLong(i++, high.timestamp());
        statement.setLong(i++, high.timestamp());
        statement.setLong(i++, high.id());
        return i;
    }

    private static EventPosition max(EventPosition a, EventPosition b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static EventPosition min(EventPosition a, EventPosition b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** As {@link io.berth.control.logs.LogStore#scan}, the streams (if any) given as a short list of ids. */
    List<StoredEvent> scan(Connection c, long groupId, Set<Long> streamIds, long startTime, long endTime,
            EventPosition after, List<List<String>> mustContain, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + EVENT_COLUMNS + " FROM log_events WHERE group_id = ? AND "
                + RANGE);
        if (streamIds != null) {
            sql.append(" AND stream_id IN (").append("?, ".repeat(streamIds.size() - 1)).append("?)");
        }
        for (List<String> anyOf : mustContain) {
            sql.append(" AND (").append(String.join(" OR ", Collections.nCopies(anyOf.size(), schema.contains())))
                    .append(')');
        }
        sql.append(" ORDER BY timestamp, id LIMIT ?");
        try (PreparedStatement select = c.prepareStatement(sql.toString())) {
            select.setLong(1, groupId);
            int i = bindRange(select, 2, max(after, EventPosition.before(startTime)), EventPosition.before(endTime));
            if (streamIds != null) {
                for (long id : streamIds) {
                    select.setLong(i++, id);
                }
            }
            for (List<String> anyOf : mustContain) {
                for (String text : anyOf) {
                    select.setString(i++, text);
                }
            }
            select.setInt(i, limit);
            return events(select);
        }
    }

    private static List<StoredEvent> events(PreparedStatement select) throws SQLException {
        List<StoredEvent> events = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                events.add(new StoredEvent(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getString(5)));
            }
        }
        return events;
    }

    static int update(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setLong(1, id);
            return statement.executeUpdate();
        }
    }

    static OptionalLong firstLong(PreparedStatement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
        }
    }
}
