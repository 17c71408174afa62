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

    @org.junit.jupiter.api.Test
    void serversStartingTogetherOnAnEmptyDatabaseAllOpenIt() throws Exception {
        String fresh = SERVER.createDatabase();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var opening = java.util.stream.IntStream.range(0, 4)
                    .mapToObj(i -> pool.submit(() -> PostgresStore.open(SERVER.jdbcUrl(fresh),
                            EmbeddedPostgresServer.USER, "")))
                    .toList();
            for (var store : opening) {
                store.get().close();
            }
        } finally {
            pool.shutdownNow();
        }
        var logs = java.util.stream.IntStream.range(0, 4)
                .mapToObj(i -> java.util.concurrent.CompletableFuture.supplyAsync(() -> SqlLogStore.postgres(
                        SERVER.jdbcUrl(fresh), EmbeddedPostgresServer.USER, "")))
                .toList();
        for (var store : logs) {
            store.join().close();
        }
    }
}
