package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.store.Document;
import io.berth.control.store.Mutation;
import io.berth.control.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContractTest {

    @TempDir
    Path dir;

    private Path file;

    @Override
    void createDatabase() {
        file = dir.resolve("berth.db");
    }

    @Override
    Store open() {
        return SqliteStore.open(file);
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    @Override
    Schema.Dialect dialect() {
        return Schema.SQLITE;
    }

    @Test
    void aDatabaseFromBeforeTheJsonCheckIsMigratedWithItsDocuments() throws SQLException {
        Path old = dir.resolve("old.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + old);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
            statement.execute(Schema.SQLITE.migrations().get(0));
            statement.execute("INSERT INTO schema_version (version) VALUES (1)");
            statement.execute("INSERT INTO documents VALUES ('cluster', 'aws:1:us-east-1', 'prod', '{\"v\":1}')");
        }

        try (SqliteStore store = SqliteStore.open(old)) {
            List<Document> documents = new ArrayList<>();
            store.loadAll(documents::add);
            assertThat(documents).containsExactly(new Document("cluster", "aws:1:us-east-1", "prod", "{\"v\":1}"));
            assertThatThrownBy(() -> store.apply(List.of(new Mutation.Put(
                    new Document("cluster", "aws:1:us-east-1", "bad", "not json")))))
                    .isInstanceOf(StoreException.class);
        }
    }
}
