package io.berth.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The SQL that removes events from the log store, a bounded chunk at a time so that one statement
 * never holds the writer long: events past their group's retention (a block partly past it keeps its
 * later events), and the blocks of deleted groups and streams, which their deletion left in
 * {@code log_purges}.
 */
final class LogRemovals {

    private static final int BLOCKS_PER_QUERY = 32;

    int deleteOlderThan(Connection c, long groupId, long cutoff, int maxEvents) throws SQLException {
        int deleted = 0;
        long bytes = 0;
        boolean more = true;
        while (more && deleted < maxEvents) {
            List<Row> page = oldest(c, groupId, cutoff);
            more = page.size() == BLOCKS_PER_QUERY;
            for (Row row : page) {
                if (deleted == maxEvents) {
                    break;
                }
                if (row.maxTime() < cutoff && row.count() <= maxEvents - deleted) {
                    // Wholly expired: gone without reading its events.
                    LogStatements.update(c, "DELETE FROM log_blocks WHERE id = ?", row.id());
                    bytes += row.messageBytes();
                    deleted += row.count();
                    continue;
                }
                LogBlock block = block(c, row.id());
                int removed = Math.min(countBefore(block, cutoff), maxEvents - deleted);
                if (removed == block.count()) {
                    LogStatements.update(c, "DELETE FROM log_blocks WHERE id = ?", row.id());
                    bytes += block.messageBytes();
                } else {
                    LogBlock rest = block.withoutFirst(removed);
                    rewrite(c, row.id(), rest);
                    bytes += block.messageBytes() - rest.messageBytes();
                }
                deleted += removed;
            }
        }
        LogStatements.update(c, "UPDATE log_groups SET stored_bytes = stored_bytes - " + bytes + " WHERE id = ?", groupId);
        return deleted;
    }

    private record Row(long id, long maxTime, int count, long messageBytes) {
    }

    /** The group's blocks that hold events older than the cutoff, oldest first, a page of them. */
    private static List<Row> oldest(Connection c, long groupId, long cutoff) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT id, max_time, event_count, message_bytes "
                + "FROM log_blocks WHERE group_id = ? AND min_time < ? ORDER BY min_time, max_time, id LIMIT ?")) {
            select.setLong(1, groupId);
            select.setLong(2, cutoff);
            select.setInt(3, BLOCKS_PER_QUERY);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getLong(4)));
                }
            }
            return rows;
        }
    }

    private static LogBlock block(Connection c, long id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT " + LogEvents.BLOCK_COLUMNS + " FROM log_blocks WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("Log block " + id + " vanished while being trimmed");
                }
                return LogEvents.block(rs);
            }
        }
    }

    private static int countBefore(LogBlock block, long cutoff) {
        LogBlock.Cursor cursor = block.cursor();
        int n = 0;
        while (cursor.next() && cursor.timestamp() < cutoff) {
            n++;
        }
        return n;
    }

    private static void rewrite(Connection c, long id, LogBlock block) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE log_blocks SET min_time = ?, first_id = ?, "
                + "event_count = ?, message_bytes = ?, events = ? WHERE id = ?")) {
            update.setLong(1, block.minTime());
            update.setLong(2, block.firstId());
            update.setInt(3, block.count());
            update.setLong(4, block.messageBytes());
            update.setBytes(5, block.events());
            update.setLong(6, id);
            update.executeUpdate();
        }
    }

    /**
     * Purges whole blocks of the oldest purge that has blocks left, until it has purged {@code maxEvents}
     * or more, dropping the purges that are done.
     */
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
        List<Long> blocks = new ArrayList<>();
        int deleted = 0;
        long bytes = 0;
        boolean done = true;
        try (PreparedStatement select = c.prepareStatement("SELECT id, event_count, message_bytes FROM log_blocks "
                + "WHERE " + (streamId == null ? "group_id" : "stream_id") + " = ? LIMIT ?")) {
            select.setLong(1, streamId == null ? groupId : streamId);
            select.setInt(2, maxEvents);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (deleted >= maxEvents) {
                        done = false;
                        break;
                    }
                    blocks.add(rs.getLong(1));
                    deleted += rs.getInt(2);
                    bytes += rs.getLong(3);
                }
                done = done && blocks.size() < maxEvents;
            }
        }
        if (!blocks.isEmpty()) {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM log_blocks WHERE id = ?")) {
                for (long id : blocks) {
                    delete.setLong(1, id);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
        }
        if (streamId != null) {
            LogStatements.update(c, "UPDATE log_groups SET stored_bytes = stored_bytes - " + bytes + " WHERE id = ?",
                    groupId);
        }
        if (done) {
            LogStatements.update(c, "DELETE FROM log_purges WHERE id = ?", purgeId);
        }
        return OptionalInt.of(deleted);
    }
}
