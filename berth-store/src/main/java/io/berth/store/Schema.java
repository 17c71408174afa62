package io.berth.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The one schema both stores share, and its migrations in order. */
final class Schema {

    /** The SQL that differs between the databases. */
    record Dialect(String name, String upsert, List<String> migrations) {
    }

    private static final String CREATE_VERSION = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)";

    static final Dialect SQLITE = new Dialect("sqlite",
            "INSERT INTO documents (kind, scope, id, json) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (kind, scope, id) DO UPDATE SET json = excluded.json",
            List.of("CREATE TABLE documents (kind TEXT NOT NULL, scope TEXT NOT NULL, id TEXT NOT NULL, "
                    + "json TEXT NOT NULL, PRIMARY KEY (kind, scope, id)) WITHOUT ROWID"));

    static final Dialect POSTGRES = new Dialect("postgres",
            "INSERT INTO documents (kind, scope, id, json) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (kind, scope, id) DO UPDATE SET json = excluded.json",
            List.of("CREATE TABLE documents (kind TEXT NOT NULL, scope TEXT NOT NULL, id TEXT COLLATE \"C\" NOT NULL, "
                    + "json TEXT NOT NULL, PRIMARY KEY (kind, scope, id))"));

    private Schema() {
    }

    /** Brings the schema up to date; each migration runs once, in its own transaction. */
    static void migrate(Connection connection, Dialect dialect) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute(CREATE_VERSION);
            int version = 0;
            try (ResultSet rs = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
                if (rs.next()) {
                    version = rs.getInt(1);
                }
            }
            connection.commit();
            for (int next = version; next < dialect.migrations().size(); next++) {
                statement.execute(dialect.migrations().get(next));
                statement.execute("INSERT INTO schema_version (version) VALUES (" + (next + 1) + ")");
                connection.commit();
            }
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
