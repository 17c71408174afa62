package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.store.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory and every file a server writes in it are their owner's alone. */
class DataDirTest {

    @TempDir
    Path dir;

    @Test
    void aNewDataDirectoryAndItsMissingParentsAreTheirOwnersAlone() throws IOException {
        Path data = DataDir.prepare(dir.resolve("var/berth"));

        assertThat(permissions(data)).isEqualTo("rwx------");
        assertThat(permissions(data.getParent())).isEqualTo("rwx------");
    }

    @Test
    void aDataDirectoryOthersCouldEnterIsTightened() throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

        DataDir.prepare(data);

        assertThat(permissions(data)).isEqualTo("rwx------");
    }

    @Test
    void everyFileAServerWritesInItsDataDirectoryIsReadableByItsOwnerOnly() throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

        try (BerthServer server = BerthServer.start(config(data))) {
            server.accessKeys().create(server.accountId());
            assertThat(filesIn(data)).extracting(f -> f.getFileName().toString())
                    .contains("berth.db", "berth.db-wal", "berth.db-shm", "logs.db", "master.key", "credentials",
                            "server.lock");
            assertThat(filesIn(data)).allSatisfy(f -> assertThat(permissions(f)).as(f.toString()).isEqualTo("rw-------"));
        }
        assertThat(permissions(data)).isEqualTo("rwx------");
    }

    @Test
    void databaseFilesAnEarlierVersionLeftReadableByOthersAreTightened() throws IOException {
        Path data = DataDir.prepare(dir.resolve("data"));
        SqliteStore.open(data.resolve(StoreConfig.DATABASE_FILE)).close();
        Files.setPosixFilePermissions(data.resolve(StoreConfig.DATABASE_FILE), PosixFilePermissions.fromString("rw-r--r--"));

        try (BerthServer server = BerthServer.start(config(data))) {
            assertThat(filesIn(data)).allSatisfy(f -> assertThat(permissions(f)).as(f.toString()).isEqualTo("rw-------"));
        }
    }

    private static ServerConfig config(Path data) {
        return new ServerConfig("127.0.0.1", 0, data, "us-east-1", null, "aws", false, null);
    }

    private static List<Path> filesIn(Path data) throws IOException {
        try (Stream<Path> files = Files.list(data)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static String permissions(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
