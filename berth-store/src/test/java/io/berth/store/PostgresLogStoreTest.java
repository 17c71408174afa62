package io.berth.store;

import io.berth.control.logs.LogStore;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The log store contract against a real PostgreSQL server; each test gets its own database. */
class PostgresLogStoreTest extends LogStoreContractTest {

    @RegisterExtension
    static final EmbeddedPostgresServer SERVER = new EmbeddedPostgresServer("logs");

    private String database;

    @Override
    void createDatabase() throws SQLException {
        database = SERVER.createDatabase();
    }

    @Override
    LogStore open() {
        return SqlLogStore.postgres(SERVER.jdbcUrl(database), EmbeddedPostgresServer.USER, "");
    }
}
