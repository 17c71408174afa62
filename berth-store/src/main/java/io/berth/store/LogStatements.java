package io.berth.store;

import io.berth.control.logs.StoredGroup;
import io.berth.control.logs.StoredStream;
import io.berth.control.logs.StreamPage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** The SQL of the log store's groups, tags and streams, the same on both databases. */
final class LogStatements {

    /** Sorts after every character a name may hold, so {@code prefix + END} bounds the names with that prefix. */
    private static final String END = new String(Character.toChars(Character.MAX_CODE_POINT));
    private static final String GROUP_COLUMNS =
            "id, scope, name, creation_time, retention_days, kms_key_id, log_group_class, stored_bytes";
    private static final String STREAM_COLUMNS = "id, group_id, name, creation_time, first_event_timestamp, "
            + "last_event_timestamp, last_ingestion_time, upload_sequence";

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
