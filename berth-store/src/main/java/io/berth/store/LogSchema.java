package io.berth.store;

import java.util.List;

/**
 * The tables of the log store, for each database. Events are kept in blocks ({@link LogBlock}), one
 * row each, indexed by group and by stream on their first timestamp and by stream on their last, so
 * that a read seeks straight to the blocks around a position. Names compare as bytes on both
 * databases. Event ids come from one counter row, so they grow with every event stored and are never
 * reused. The events of a database from before blocks (one row per event) are dropped: none were
 * released.
 *
 * @param contains the condition that a block's bytes contain the bound bytes
 */
record LogSchema(String name, String schemaLock, List<String> migrations, String contains) {

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
            "INSERT INTO log_counters (name, value) VALUES ('event', 0)",
            "DROP TABLE log_events",
            "CREATE TABLE log_blocks (id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL, stream_id INTEGER NOT NULL, "
                    + "min_time INTEGER NOT NULL, max_time INTEGER NOT NULL, first_id INTEGER NOT NULL, "
                    + "event_count INTEGER NOT NULL, ingestion_time INTEGER NOT NULL, message_bytes INTEGER NOT NULL, "
                    + "events BLOB NOT NULL)",
            "CREATE INDEX log_blocks_by_group ON log_blocks (group_id, min_time, max_time, id)",
            "CREATE INDEX log_blocks_by_stream ON log_blocks (stream_id, min_time, max_time, id)",
            "CREATE INDEX log_blocks_by_stream_end ON log_blocks (stream_id, max_time, min_time, id)"),
            "instr(events, ?) > 0");

    static final LogSchema POSTGRES = new LogSchema("postgres", Schema.POSTGRES_MIGRATION_LOCK,
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
                    "INSERT INTO log_counters (name, value) VALUES ('event', 0)",
                    "DROP TABLE log_events",
                    "CREATE TABLE log_blocks (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                            + "group_id BIGINT NOT NULL, stream_id BIGINT NOT NULL, min_time BIGINT NOT NULL, "
                            + "max_time BIGINT NOT NULL, first_id BIGINT NOT NULL, event_count INTEGER NOT NULL, "
                            + "ingestion_time BIGINT NOT NULL, message_bytes BIGINT NOT NULL, events BYTEA NOT NULL)",
                    // Stored apart and uncompressed: blocks are searched with position() and rarely compress much.
                    "ALTER TABLE log_blocks ALTER COLUMN events SET STORAGE EXTERNAL",
                    "CREATE INDEX log_blocks_by_group ON log_blocks (group_id, min_time, max_time, id)",
                    "CREATE INDEX log_blocks_by_stream ON log_blocks (stream_id, min_time, max_time, id)",
                    "CREATE INDEX log_blocks_by_stream_end ON log_blocks (stream_id, max_time, min_time, id)"),
            "position(? IN events) > 0");
}
