package io.berth.store;

import io.berth.control.store.Store;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against a real PostgreSQL server; each test gets its own database. */
class PostgresStoreTest extends StoreContractTest {

    @RegisterExtension
    static final EmbeddedPostgresServer SERVER = new EmbeddedPostgresServer("contract");

    private String database;

    @Override
    void createDatabase() throws SQLException {
        database = SERVER.createDatabase();
    }

    @Override
    Store open() {
        return PostgresStore.open(SERVER.jdbcUrl(database), EmbeddedPostgresServer.USER, "");
    }

    @Override
    Connection connect() throws SQLException {
        return SERVER.connect(database);
    }

    @Override
    Schema.Dialect dialect() {
        return Schema.POSTGRES;
    }
}
