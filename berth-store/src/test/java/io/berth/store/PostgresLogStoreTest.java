package io.berth.store;

import io.berth.control.logs.LogStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The log store contract against a real PostgreSQL server; each test gets its own database. */
class PostgresLogStoreTest extends LogStoreContractTest {

    private static final String USER = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private String database;

    @BeforeAll
    static void startServer() {
        try {
            server = EmbeddedPostgres.builder().start();
        } catch (IOException | RuntimeException e) {
            String reason = "PostgreSQL log store tests skipped: the embedded server did not start: " + e;
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
        database = "logs_" + DATABASES.incrementAndGet();
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
    }

    @Override
    LogStore open() {
        return SqlLogStore.postgres(server.getJdbcUrl(USER, database), USER, "");
    }
}
