package io.berth.store;

import io.berth.control.logs.EventPosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The SQL that removes events from the log store, a bounded chunk at a time so that one statement
 * never holds the writer long: events past their group's retention, and those of deleted groups and
 * streams, which their deletion left in {@code log_purges}.
 */
final class LogRemovals {

    private final LogSchema schema;

    LogRemovals(LogSchema schema) {
        this.schema = schema;
    }

    int deleteOlderThan(Connection c, long groupId, long cutoff, int maxEvents) throws SQLException {
        String range = "FROM log_events WHERE group_id = ? AND timestamp < ?";
        Optional<EventPosition> last = nth(c, "SELECT timestamp, id " + range + " ORDER BY timestamp, id",
                maxEvents, groupId, cutoff);
        String chunk = range + (last.isPresent() ? " AND (timestamp, id) <= (?, ?)" : "");
        long bytes = sumBytes(c, "SELECT COALESCE(SUM(" + schema.messageBytes() + "), 0) " + chunk, groupId, cutoff,
                last);
        int deleted = delete(c, "DELETE " + chunk, groupId, cutoff, last);
        LogStatements.update(c, "UPDATE log_groups SET stored_bytes = stored_bytes - " + bytes + " WHERE id = ?", groupId);
        return deleted;
    }

    /** Purges a chunk of the oldest purge that has events left, dropping the purges that are done. */
    int purgeDeleted(Connection c, int maxEvents) throws SQLException {
        while (true) {
            OptionalInt deleted = purgeOne(c, maxEvents);
            if (deleted.isEmpty() || deleted.getAsInt() > 0) {
                return deleted.orElse(0);
            }
        }
    }

    private OptionalInt purgeOne(Connection c, int maxEvents) throws SQLException {
        long purgeId;
        long groupId;
        Long streamId;
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, group_id, stream_id FROM log_purges ORDER BY id LIMIT 1");
             ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                return OptionalInt.empty();
            }
            purgeId = rs.getLong(1);
            groupId = rs.getLong(2);
            long stream = rs.getLong(3);
            streamId = rs.wasNull() ? null : stream;
        }
        int deleted;
        if (streamId == null) {
            String range = "FROM log_events WHERE group_id = ? AND timestamp >= ?";
            Optional<EventPosition> last = nth(c, "SELECT timestamp, id " + range + " ORDER BY timestamp, id",
                    maxEvents, groupId, Long.MIN_VALUE);
            deleted = delete(c, "DELETE " + range + (last.isPresent() ? " AND (timestamp, id) <= (?, ?)" : ""),
                    groupId, Long.MIN_VALUE, last);
        } else {
            String range = "FROM log_events WHERE stream_id = ? AND timestamp >= ?";
            Optional<EventPosition> last = nth(c, "SELECT timestamp, id " + range + " ORDER BY timestamp, id",
                    maxEvents, streamId, Long.MIN_VALUE);
            String chunk = range + (last.isPresent() ? " AND (timestamp, id) <= (?, ?)" : "");
            long bytes = sumBytes(c, "SELECT COALESCE(SUM(" + schema.messageBytes() + "), 0) " + chunk, streamId,
                    Long.MIN_VALUE, last);
            deleted = delete(c, "DELETE " + chunk, streamId, Long.MIN_VALUE, last);
            LogStatements.update(c, "UPDATE log_groups SET stored_bytes = stored_bytes - " + bytes + " WHERE id = ?", groupId);
        }
        if (deleted < maxEvents) {
            LogStatements.update(c, "DELETE FROM log_purges WHERE id = ?", purgeId);
        }
        return OptionalInt.of(deleted);
    }

    /** The position of the n-th event the query finds, when it finds that many. */
    private static Optional<EventPosition> nth(Connection c, String query, int n, long key, long time)
            throws SQLException {
        try (PreparedStatement select = c.prepareStatement(query + " LIMIT 1 OFFSET ?")) {
            select.setLong(1, key);
            select.setLong(2, time);
            select.setInt(3, n - 1);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new EventPosition(rs.getLong(1), rs.getLong(2))) : Optional.empty();
            }
        }
    }

    private static long sumBytes(Connection c, String query, long key, long time, Optional<EventPosition> last)
            throws SQLException {
        try (PreparedStatement select = prepareChunk(c, query, key, time, last); ResultSet rs = select.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static int delete(Connection c, String statement, long key, long time, Optional<EventPosition> last)
            throws SQLException {
        try (PreparedStatement delete = prepareChunk(c, statement, key, time, last)) {
            return delete.executeUpdate();
        }
    }

    private static PreparedStatement prepareChunk(Connection c, String sql, long key, long time,
            Optional<EventPosition> last) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        statement.setLong(1, key);
        statement.setLong(2, time);
        if (last.isPresent()) {
            statement.setLong(3, last.get().timestamp());
            statement.setLong(4, last.get().id());
        }
        return statement;
    }

}
