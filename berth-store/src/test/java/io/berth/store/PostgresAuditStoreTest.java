package io.berth.store;

import io.berth.control.audit.AuditStore;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit store contract against a real PostgreSQL server; each test gets its own database. */
class PostgresAuditStoreTest extends AuditStoreContractTest {

    @RegisterExtension
    static final EmbeddedPostgresServer SERVER = new EmbeddedPostgresServer("audit");

    private String database;

    @Override
    void createDatabase() throws SQLException {
        database = SERVER.createDatabase();
    }

    @Override
    AuditStore open() {
        return SqlAuditStore.postgres(SERVER.jdbcUrl(database), EmbeddedPostgresServer.USER, "");
    }
}
