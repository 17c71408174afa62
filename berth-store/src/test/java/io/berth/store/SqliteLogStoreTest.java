package io.berth.store;

import io.berth.control.logs.LogStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteLogStoreTest extends LogStoreContractTest {

    @TempDir
    Path dir;

    @Override
    void createDatabase() {
    }

    @Override
    LogStore open() {
        return SqlLogStore.sqlite(dir.resolve("logs.db"));
    }
}
