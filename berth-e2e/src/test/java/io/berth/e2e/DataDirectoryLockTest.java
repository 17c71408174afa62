package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One server process per SQLite data directory: a second is refused, a killed one leaves the directory free. */
class DataDirectoryLockTest {

    @TempDir
    Path dataDir;

    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefusedAndTheDirectoryIsFreeOnceTheFirstIsKilled() {
        BerthProcess first = BerthProcess.start(dataDir);
        try {
            assertThatThrownBy(() -> BerthProcess.start(dataDir))
                    .hasMessageContaining("Another Berth server is using the data directory " + dataDir);
            assertThat(BerthProcess.client(dataDir, first.port()).listClusters().clusterArns()).isEmpty();
        } finally {
            first.kill();
        }

        try (BerthProcess afterKill = BerthProcess.start(dataDir)) {
            assertThat(BerthProcess.client(dataDir, afterKill.port()).listClusters().clusterArns()).isEmpty();
        }
    }
}
