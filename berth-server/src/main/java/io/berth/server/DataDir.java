package io.berth.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory, its owner's alone: created so, and tightened when it was not. It holds the database, the master
 * key and the first access key, which nobody else on the host is to read.
 */
final class DataDir {

    static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private static final Logger log = LoggerFactory.getLogger(DataDir.class);

    private DataDir() {
    }

    /** Creates the directory (and missing parents) readable by its owner only, or takes from others what they could do. */
    static Path prepare(Path dir) {
        try {
            if (Files.notExists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
            if (!OWNER_ONLY_DIRECTORY.containsAll(permissions)) {
                Files.setPosixFilePermissions(dir, OWNER_ONLY_DIRECTORY);
                log.warn("The data directory {} could be entered by others than its owner ({}); it is its owner's "
                        + "alone now", dir, PosixFilePermissions.toString(permissions));
            }
        } catch (UnsupportedOperationException e) {
            log.debug("The file system of {} has no POSIX permissions", dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + dir, e);
        }
        return dir;
    }

    /** The attribute that creates a file of the data directory readable and writable by its owner only. */
    static FileAttribute<Set<PosixFilePermission>> ownerOnlyFile() {
        return PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE);
    }
}
