package io.berth.store;

import java.util.List;
import java.util.stream.Stream;

/**
 * The tables of the audit trail, for each database: one row per event with the columns LookupEvents
 * selects on, each indexed with the time after the scope so that a lookup reads newest first from the
 * index, and one row per resource an event names. Names compare as bytes on both databases.
 */
record AuditSchema(String name, String schemaLock, List<String> migrations) {

    static final String VERSION_TABLE = "audit_schema_version";

    private static final List<String> INDEXES = List.of(
            "CREATE INDEX audit_events_by_time ON audit_events (scope, event_time, event_id)",
            "CREATE UNIQUE INDEX audit_events_by_id ON audit_events (scope, event_id)",
            "CREATE INDEX audit_events_by_name ON audit_events (scope, event_name, event_time, event_id)",
            "CREATE INDEX audit_events_by_source ON audit_events (scope, event_source, event_time, event_id)",
            "CREATE INDEX audit_events_by_user ON audit_events (scope, username, event_time, event_id)",
            "CREATE INDEX audit_events_by_key ON audit_events (scope, access_key_id, event_time, event_id)",
            "CREATE INDEX audit_events_by_read_only ON audit_events (scope, read_only, event_time, event_id)",
            "CREATE INDEX audit_events_by_age ON audit_events (event_time)",
            "CREATE INDEX audit_resources_by_name ON audit_resources (scope, name, event_time, event_id)",
            "CREATE INDEX audit_resources_by_type ON audit_resources (scope, type, event_time, event_id)",
            "CREATE INDEX audit_resources_by_age ON audit_resources (event_time)");

    static final AuditSchema SQLITE = new AuditSchema("sqlite", null, with(
            "CREATE TABLE audit_events (scope TEXT NOT NULL, event_time INTEGER NOT NULL, event_id TEXT NOT NULL, "
                    + "event_name TEXT NOT NULL, event_source TEXT NOT NULL, username TEXT NOT NULL, "
                    + "access_key_id TEXT, read_only INTEGER NOT NULL, resources TEXT NOT NULL, document TEXT NOT NULL)",
            "CREATE TABLE audit_resources (scope TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, "
                    + "event_time INTEGER NOT NULL, event_id TEXT NOT NULL)"));

    static final AuditSchema POSTGRES = new AuditSchema("postgres", Schema.POSTGRES_MIGRATION_LOCK, with(
            "CREATE TABLE audit_events (scope TEXT COLLATE \"C\" NOT NULL, event_time BIGINT NOT NULL, "
                    + "event_id TEXT COLLATE \"C\" NOT NULL, event_name TEXT COLLATE \"C\" NOT NULL, "
                    + "event_source TEXT COLLATE \"C\" NOT NULL, username TEXT COLLATE \"C\" NOT NULL, "
                    + "access_key_id TEXT COLLATE \"C\", read_only INTEGER NOT NULL, resources TEXT NOT NULL, "
                    + "document TEXT NOT NULL)",
            "CREATE TABLE audit_resources (scope TEXT COLLATE \"C\" NOT NULL, name TEXT COLLATE \"C\" NOT NULL, "
                    + "type TEXT COLLATE \"C\" NOT NULL, event_time BIGINT NOT NULL, event_id TEXT COLLATE \"C\" NOT NULL)"));

    private static List<String> with(String events, String resources) {
        return Stream.concat(Stream.of(events, resources), INDEXES.stream()).toList();
    }
}
