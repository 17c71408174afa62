package io.berth.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The one schema both stores share, and its migrations in order. Keys compare as bytes, so
 * {@code ORDER BY} gives the same order on both databases, whatever the database's locale. A
 * document must be JSON: the database refuses anything else, and with it the whole batch.
 */
final class Schema {

    /**
     * The SQL that differs between the databases.
     *
     * @param schemaLock run first in the migration's transaction, so that servers starting together
     *     migrate one after the other; null where only one process opens the database
     * @param migrations one statement per step; step {@code n} runs once and records version {@code n + 1}
     */
    record Dialect(String name, String upsert, String insertIfAbsent, String replaceIfUnchanged, String schemaLock,
            List<String> migrations) {
    }


    static final Dialect SQLITE = new Dialect("sqlite",
            "INSERT INTO documents (kind, scope, id, json) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (kind, scope, id) DO UPDATE SET json = excluded.json",
            "INSERT INTO documents (kind, scope, id, json) VALUES (?, ?, ?, ?) ON CONFLICT (kind, scope, id) DO NOTHING",
            "UPDATE documents SET json = ? WHERE kind = ? AND scope = ? AND id = ? AND json = ?",
            null,
            List.of("CREATE TABLE documents (kind TEXT NOT NULL, scope TEXT NOT NULL, id TEXT NOT NULL, "
                            + "json TEXT NOT NULL, PRIMARY KEY (kind, scope, id)) WITHOUT ROWID",
                    // SQLite cannot add a CHECK to a table: rebuild it with one.
                    "CREATE TABLE documents_checked (kind TEXT NOT NULL, scope TEXT NOT NULL, id TEXT NOT NULL, "
                            + "json TEXT NOT NULL CHECK (json_valid(json)), PRIMARY KEY (kind, scope, id)) WITHOUT ROWID",
                    "INSERT INTO documents_checked (kind, scope, id, json) SELECT kind, scope, id, json FROM documents",
                    "DROP TABLE documents",
                    "ALTER TABLE documents_checked RENAME TO documents"));

    static final Dialect POSTGRES = new Dialect("postgres",
            // The json type checks the text and keeps it as given (jsonb would reorder members).
            "INSERT INTO documents (kind, scope, id, json) VALUES (?, ?, ?, CAST(? AS json)) "
                    + "ON CONFLICT (kind, scope, id) DO UPDATE SET json = excluded.json",
            "INSERT INTO documents (kind, scope, id, json) VALUES (?, ?, ?, CAST(? AS json)) "
                    + "ON CONFLICT (kind, scope, id) DO NOTHING",
            // json has no equality; its text is the text stored, unchanged.
            "UPDATE documents SET json = CAST(? AS json) WHERE kind = ? AND scope = ? AND id = ? AND json::text = ?",
            Schema.POSTGRES_MIGRATION_LOCK,
            List.of("CREATE TABLE documents (kind TEXT COLLATE \"C\" NOT NULL, scope TEXT COLLATE \"C\" NOT NULL, "
                            + "id TEXT COLLATE \"C\" NOT NULL, json json NOT NULL, PRIMARY KEY (kind, scope, id))",
                    // The leader lease (LeaderLease): one row, there from the start so that nodes only ever update it.
                    "CREATE TABLE leader_lease (id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT, endpoint TEXT, "
                            + "epoch BIGINT NOT NULL, expires_at TIMESTAMPTZ, acs_sequence BIGINT NOT NULL)",
                    "INSERT INTO leader_lease (id, epoch, acs_sequence) VALUES (1, 0, 0)",
                    "CREATE TABLE nodes (node_id TEXT PRIMARY KEY, endpoint TEXT NOT NULL, "
                            + "started_at TIMESTAMPTZ NOT NULL, seen_at TIMESTAMPTZ NOT NULL)"));

    /**
     * Held by one migration at a time until its transaction ends, whichever tables it touches: a lock that needs no
     * table to exist yet.
     */
    static final String POSTGRES_MIGRATION_LOCK = "SELECT pg_advisory_xact_lock(2840171177)";

    private Schema() {
    }

    /** Brings the schema up to date in one transaction; opening an up-to-date database changes nothing. */
    static void migrate(Connection connection, Dialect dialect) throws SQLException {
        migrate(connection, "schema_version", dialect.schemaLock(), dialect.migrations());
    }

    /**
     * Runs the migrations not yet recorded in the version table, in one transaction.
     *
     * @param schemaLock run first, in the migration's one transaction; null where only one process opens the database
     */
    static void migrate(Connection connection, String versionTable, String schemaLock, List<String> migrations)
            throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // The lock comes first: servers starting together on an empty database would otherwise race to create
            // the version table, which PostgreSQL refuses to the loser even with IF NOT EXISTS.
            if (schemaLock != null) {
                statement.execute(schemaLock);
            }
            statement.execute("CREATE TABLE IF NOT EXISTS " + versionTable + " (version INTEGER NOT NULL)");
            int version = 0;
            try (ResultSet rs = statement.executeQuery("SELECT MAX(version) FROM " + versionTable)) {
                if (rs.next()) {
                    version = rs.getInt(1);
                }
            }
            for (int next = version; next < migrations.size(); next++) {
                statement.execute(migrations.get(next));
                statement.execute("INSERT INTO " + versionTable + " (version) VALUES (" + (next + 1) + ")");
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
