package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {

    @TempDir
    Path dataDir;

    @Test
    void aSecondClaimOnAHeldDirectoryIsRefusedNamingTheDirectory() {
        try (DataDirLock held = DataDirLock.acquire(dataDir)) {
            assertThatThrownBy(() -> DataDirLock.acquire(dataDir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Another Berth server is using the data directory " + dataDir);
        }
    }

    @Test
    void aReleasedDirectoryCanBeTakenAgain() {
        DataDirLock.acquire(dataDir).close();

        try (DataDirLock again = DataDirLock.acquire(dataDir)) {
            assertThat(dataDir.resolve(DataDirLock.FILE)).exists();
        }
    }

    @Test
    void aServerOnAHeldSqliteDirectoryDoesNotStartAndLeavesTheFirstOneServing() {
        ServerConfig config = new ServerConfig("127.0.0.1", 0, dataDir, "us-east-1", null, "aws", false, null);
        try (BerthServer first = BerthServer.start(config)) {
            assertThatThrownBy(() -> BerthServer.start(config))
                    .hasMessageContaining("Another Berth server is using the data directory");
            assertThat(first.port()).isPositive();
        }
        try (BerthServer afterwards = BerthServer.start(config)) {
            assertThat(afterwards.port()).isPositive();
        }
    }
}
