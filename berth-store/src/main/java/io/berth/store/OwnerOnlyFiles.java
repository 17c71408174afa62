package io.berth.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an SQLite database and its companion files (write-ahead log, shared memory, rollback journal) readable and
 * writable by their owner only. SQLite gives the files it creates beside a database the database's own permissions,
 * so a database file created owner-only before SQLite opens it keeps every later companion so too.
 */
final class OwnerOnlyFiles {

    private static final Logger log = LoggerFactory.getLogger(OwnerOnlyFiles.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final List<String> COMPANIONS = List.of("", "-wal", "-shm", "-journal");

    private OwnerOnlyFiles() {
    }

    /** Creates the database file owner-only when missing, and takes from existing files what others could do. */
    static void prepareSqlite(Path database) {
        try {
            Files.createFile(database, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            // An existing database: its permissions are checked below.
        } catch (UnsupportedOperationException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + database, e);
        }
        for (String suffix : COMPANIONS) {
            tighten(database.resolveSibling(database.getFileName() + suffix));
        }
    }

    private static void tighten(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(permissions)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
                log.warn("{} could be read by others than its owner ({}); it is readable by its owner only now", file,
                        PosixFilePermissions.toString(permissions));
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // No such companion at the moment.
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot change the permissions of " + file, e);
        }
    }
}
