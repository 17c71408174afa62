package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.audit.AuditStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteAuditStoreTest extends AuditStoreContractTest {

    @TempDir
    Path dir;

    @Override
    void createDatabase() {
    }

    @Override
    AuditStore open() {
        return SqlAuditStore.sqlite(dir.resolve("audit.db"));
    }

    @Test
    void theTrailsFileIsItsOwnersAlone() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("audit.db"))))
                .isEqualTo("rw-------");
    }
}
