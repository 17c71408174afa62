package io.berth.store;

import io.berth.control.audit.AuditQuery;
import io.berth.control.audit.AuditRecord;
import io.berth.control.audit.AuditResource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** The SQL of the audit store, the same on SQLite and PostgreSQL. */
final class AuditStatements {

    private static final String COLUMNS = "e.scope, e.event_time, e.event_id, e.event_name, e.event_source, "
            + "e.username, e.access_key_id, e.read_only, e.resources, e.document";

    private AuditStatements() {
    }

    static void append(Connection c, AuditRecord record) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_events (scope, event_time, event_id, "
                + "event_name, event_source, username, access_key_id, read_only, resources, document) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, record.scope());
            insert.setLong(2, record.eventTime());
            insert.setString(3, record.eventId());
            insert.setString(4, record.eventName());
            insert.setString(5, record.eventSource());
            insert.setString(6, record.username());
            insert.setString(7, record.accessKeyId());
            insert.setInt(8, record.readOnly() ? 1 : 0);
            insert.setString(9, encode(record.resources()));
            insert.setString(10, record.cloudTrailEvent());
            insert.executeUpdate();
        }
        if (record.resources().isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO audit_resources (scope, name, type, event_time, event_id) VALUES (?, ?, ?, ?, ?)")) {
            for (AuditResource resource : new HashSet<>(record.resources())) {
                insert.setString(1, record.scope());
                insert.setString(2, resource.name());
                insert.setString(3, resource.type());
                insert.setLong(4, record.eventTime());
                insert.setString(5, record.eventId());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    static List<AuditRecord> lookup(Connection c, AuditQuery query) throws SQLException {
        AuditQuery.Attribute attribute = query.attribute();
        boolean byResource = attribute == AuditQuery.Attribute.RESOURCE_NAME
                || attribute == AuditQuery.Attribute.RESOURCE_TYPE;
        // Resource lookups walk the resources' index newest first; the others the events' own.
        String t = byResource ? "r" : "e";
        StringBuilder sql = new StringBuilder("SELECT ").append(byResource ? "DISTINCT " : "").append(COLUMNS);
        sql.append(byResource ? " FROM audit_resources r JOIN audit_events e ON e.scope = r.scope AND e.event_id = "
                + "r.event_id" : " FROM audit_events e");
        sql.append(" WHERE ").append(t).append(".scope = ? AND ").append(t).append(".event_time >= ? AND ")
                .append(t).append(".event_time <= ?");
        if (query.after() != null) {
            sql.append(" AND (").append(t).append(".event_time < ? OR (").append(t).append(".event_time = ? AND ")
                    .append(t).append(".event_id < ?))");
        }
        Object value = query.value();
        if (attribute != null) {
            sql.append(" AND ").append(column(attribute)).append(" = ?");
            if (attribute == AuditQuery.Attribute.READ_ONLY) {
                if (!"true".equalsIgnoreCase(query.value()) && !"false".equalsIgnoreCase(query.value())) {
                    return List.of();
                }
                value = "true".equalsIgnoreCase(query.value()) ? 1 : 0;
            }
        }
        sql.append(" ORDER BY e.event_time DESC, e.event_id DESC LIMIT ?");
        try (PreparedStatement select = c.prepareStatement(sql.toString())) {
            int i = 1;
            select.setString(i++, query.scope());
            select.setLong(i++, query.start());
            select.setLong(i++, query.end());
            if (query.after() != null) {
                select.setLong(i++, query.after().eventTime());
                select.setLong(i++, query.after().eventTime());
                select.setString(i++, query.after().eventId());
            }
            if (attribute != null) {
                select.setObject(i++, value);
            }
            select.setInt(i, query.limit());
            List<AuditRecord> found = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(new AuditRecord(rs.getString(1), rs.getString(3), rs.getLong(2), rs.getString(4),
                            rs.getString(5), rs.getInt(8) == 1, rs.getString(6), rs.getString(7),
                            decode(rs.getString(9)), rs.getString(10)));
                }
            }
            return found;
        }
    }

    private static String column(AuditQuery.Attribute attribute) {
        return switch (attribute) {
            case EVENT_ID -> "e.event_id";
            case EVENT_NAME -> "e.event_name";
            case READ_ONLY -> "e.read_only";
            case USERNAME -> "e.username";
            case EVENT_SOURCE -> "e.event_source";
            case ACCESS_KEY_ID -> "e.access_key_id";
            case RESOURCE_NAME -> "r.name";
            case RESOURCE_TYPE -> "r.type";
        };
    }

    /** Deletes up to {@code max} events older than the cutoff, and the resources of as many. */
    static int deleteOlderThan(Connection c, long cutoff, int max) throws SQLException {
        int deleted;
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM audit_events WHERE event_id IN "
                + "(SELECT event_id FROM audit_events WHERE event_time < ? ORDER BY event_time LIMIT ?)")) {
            delete.setLong(1, cutoff);
            delete.setInt(2, max);
            deleted = delete.executeUpdate();
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM audit_resources WHERE event_id IN "
                + "(SELECT event_id FROM audit_resources WHERE event_time < ? ORDER BY event_time LIMIT ?)")) {
            delete.setLong(1, cutoff);
            delete.setInt(2, max);
            delete.executeUpdate();
        }
        return deleted;
    }

    /** The resources as one text: for each, the length of its type, a colon, the type, then the same of its name. */
    static String encode(List<AuditResource> resources) {
        StringBuilder text = new StringBuilder();
        for (AuditResource resource : resources) {
            text.append(resource.type().length()).append(':').append(resource.type());
            text.append(resource.name().length()).append(':').append(resource.name());
        }
        return text.toString();
    }

    static List<AuditResource> decode(String text) {
        List<AuditResource> resources = new ArrayList<>();
        int[] at = {0};
        while (at[0] < text.length()) {
            String type = next(text, at);
            resources.add(new AuditResource(type, next(text, at)));
        }
        return resources;
    }

    private static String next(String text, int[] at) {
        int colon = text.indexOf(':', at[0]);
        int length = Integer.parseInt(text, at[0], colon, 10);
        at[0] = colon + 1 + length;
        return text.substring(colon + 1, at[0]);
    }
}
