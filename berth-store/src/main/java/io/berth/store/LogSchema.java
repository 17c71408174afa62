package io.berth.store;

import java.util.List;

/**
 * The tables of the log store, for each database. Events are clustered by group and time, so a
 * group is read in time order straight off its primary key; a second index serves a stream in time
 * order. Names compare as bytes on both databases. Event ids come from one counter row, so they
 * grow with every event stored and are never reused.
 *
 * @param contains the condition that the message contains the bound string
 * @param messageBytes the UTF-8 length of the message
 */
record LogSchema(String name, String schemaLock, List<String> migrations, String contains, String messageBytes) {

    static final String VERSION_TABLE = "log_schema_version";

    static final LogSchema SQLITE = new LogSchema("sqlite", null, List.of(
            "CREATE TABLE log_groups (id INTEGER PRIMARY KEY AUTOINCREMENT, scope TEXT NOT NULL, name TEXT NOT NULL, "
                    + "creation_time INTEGER NOT NULL, retention_days INTEGER, kms_key_id TEXT, "
                    + "log_group_class TEXT NOT NULL, stored_bytes INTEGER NOT NULL DEFAULT 0, UNIQUE (scope, name))",
            "CREATE TABLE log_group_tags (group_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, "
                    + "PRIMARY KEY (group_id, key)) WITHOUT ROWID",
            "CREATE TABLE log_streams (id INTEGER PRIMARY KEY AUTOINCREMENT, group_id INTEGER NOT NULL, "
                    + "name TEXT NOT NULL, creation_time INTEGER NOT NULL, "
                    + "first_event_timestamp INTEGER NOT NULL DEFAULT 0, last_event_timestamp INTEGER NOT NULL DEFAULT 0, "
                    + "last_ingestion_time INTEGER NOT NULL DEFAULT 0, upload_sequence INTEGER NOT NULL DEFAULT 0, "
                    + "UNIQUE (group_id, name))",
            "CREATE INDEX log_streams_by_last_event ON log_streams (group_id, last_event_timestamp, name)",
            "CREATE TABLE log_events (group_id INTEGER NOT NULL, timestamp INTEGER NOT NULL, id INTEGER NOT NULL, "
                    + "stream_id INTEGER NOT NULL, ingestion_time INTEGER NOT NULL, message TEXT NOT NULL, "
                    + "PRIMARY KEY (group_id, timestamp, id)) WITHOUT ROWID",
            "CREATE INDEX log_events_by_stream ON log_events (stream_id, timestamp, id)",
            "CREATE TABLE log_purges (id INTEGER PRIMARY KEY AUTOINCREMENT, group_id INTEGER NOT NULL, stream_id INTEGER)",
            "CREATE TABLE log_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
            "INSERT INTO log_counters (name, value) VALUES ('event', 0)"),
            "instr(message, ?) > 0", "length(CAST(message AS BLOB))");

    static final LogSchema POSTGRES = new LogSchema("postgres", "LOCK TABLE " + VERSION_TABLE + " IN EXCLUSIVE MODE",
            List.of("CREATE TABLE log_groups (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                            + "scope TEXT COLLATE \"C\" NOT NULL, name TEXT COLLATE \"C\" NOT NULL, "
                            + "creation_time BIGINT NOT NULL, retention_days INTEGER, kms_key_id TEXT, "
                            + "log_group_class TEXT NOT NULL, stored_bytes BIGINT NOT NULL DEFAULT 0, UNIQUE (scope, name))",
                    "CREATE TABLE log_group_tags (group_id BIGINT NOT NULL, key TEXT COLLATE \"C\" NOT NULL, "
                            + "value TEXT NOT NULL, PRIMARY KEY (group_id, key))",
                    "CREATE TABLE log_streams (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                            + "group_id BIGINT NOT NULL, name TEXT COLLATE \"C\" NOT NULL, creation_time BIGINT NOT NULL, "
                            + "first_event_timestamp BIGINT NOT NULL DEFAULT 0, last_event_timestamp BIGINT NOT NULL DEFAULT 0, "
                            + "last_ingestion_time BIGINT NOT NULL DEFAULT 0, upload_sequence BIGINT NOT NULL DEFAULT 0, "
                            + "UNIQUE (group_id, name))",
                    "CREATE INDEX log_streams_by_last_event ON log_streams (group_id, last_event_timestamp, name)",
                    "CREATE TABLE log_events (group_id BIGINT NOT NULL, timestamp BIGINT NOT NULL, id BIGINT NOT NULL, "
                            + "stream_id BIGINT NOT NULL, ingestion_time BIGINT NOT NULL, message TEXT NOT NULL, "
                            + "PRIMARY KEY (group_id, timestamp, id))",
                    "CREATE INDEX log_events_by_stream ON log_events (stream_id, timestamp, id)",
                    "CREATE TABLE log_purges (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, group_id BIGINT NOT NULL, "
                            + "stream_id BIGINT)",
                    "CREATE TABLE log_counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
                    "INSERT INTO log_counters (name, value) VALUES ('event', 0)"),
            "strpos(message, ?) > 0", "octet_length(message)");
}
