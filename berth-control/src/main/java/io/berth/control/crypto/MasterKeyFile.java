package io.berth.control.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master key's file: 32 random bytes in base64, readable by its owner only. A rotation keeps the key it replaces
 * beside it, in the same name with {@value #PREVIOUS_SUFFIX}, until every sealed value is sealed under the new one;
 * a sealer loaded meanwhile opens values of both.
 */
public final class MasterKeyFile {

    public static final String PREVIOUS_SUFFIX = ".previous";

    private static final Logger log = LoggerFactory.getLogger(MasterKeyFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private MasterKeyFile() {
    }

    /** Where a rotation keeps the key it replaces. */
    public static Path previous(Path file) {
        return file.resolveSibling(file.getFileName() + PREVIOUS_SUFFIX);
    }

    /** The sealer of the key in the file, created when missing, and of the previous key while a rotation runs. */
    static Sealer load(Path file) {
        if (Files.notExists(file)) {
            try {
                write(file, newKey(), false);
                log.info("Created the master key file {}", file);
            } catch (FileAlreadyExistsException e) {
                log.debug("The master key file {} appeared meanwhile; keeping it", file);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the master key file " + file, e);
            }
        }
        byte[] key = read(file);
        Path previous = previous(file);
        if (Files.notExists(previous)) {
            return Sealer.withKey(key);
        }
        log.warn("A rotation of the master key has not finished: {} still opens values it sealed; run "
                + "'berth master-key rotate' again to finish it", previous);
        return Sealer.withKeys(key, List.of(read(previous)));
    }

    /**
     * Starts a rotation, or takes up one that stopped: the current key is kept as the previous one and a new key
     * replaces it, each step durable before the next. Answers the sealer of both keys.
     */
    public static Sealer beginRotation(Path file) {
        if (Files.notExists(file)) {
            throw new IllegalStateException("There is no master key file " + file + " to rotate");
        }
        Path previous = previous(file);
        try {
            if (Files.notExists(previous)) {
                write(previous, read(file), false);
            }
            // Equal keys: the previous rotation stopped before its new key was written.
            if (Arrays.equals(read(previous), read(file))) {
                write(file, newKey(), true);
                log.info("Wrote a new master key to {}; the previous one is kept in {} until every value is sealed "
                        + "again", file, previous);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the master key files beside " + file, e);
        }
        return load(file);
    }

    /** Ends a rotation once nothing is sealed under the previous key any more: that key is gone for good. */
    public static void finishRotation(Path file) {
        try {
            Files.deleteIfExists(previous(file));
            syncDirectory(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + previous(file), e);
        }
    }

    private static byte[] read(Path file) {
        Set<PosixFilePermission> permissions;
        String text;
        try {
            permissions = Files.getPosixFilePermissions(file);
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the master key file " + file, e);
        }
        if (!OWNER_ONLY.containsAll(permissions)) {
            log.warn("The master key file {} can be read by others than its owner ({})", file,
                    PosixFilePermissions.toString(permissions));
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The master key file " + file + " is not base64", e);
        }
        if (key.length != Sealer.KEY_BYTES) {
            throw new IllegalStateException("The master key file " + file + " does not hold a " + Sealer.KEY_BYTES
                    + "-byte key");
        }
        return key;
    }

    private static byte[] newKey() {
        byte[] key = new byte[Sealer.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /**
     * Writes the key durably under the name: to a file of the owner's alone first, then linked in place (never over a
     * key another process wrote first), or moved over the old file when {@code replace}.
     */
    private static void write(Path file, byte[] key, boolean replace) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, ".master-key", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(partial, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            if (replace) {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                publish(partial, file);
            }
            syncDirectory(file);
        } finally {
            Files.deleteIfExists(partial);
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Puts the written key in place without replacing one that is there: a hard link, else a move. */
    private static void publish(Path partial, Path file) throws IOException {
        try {
            Files.createLink(file, partial);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | IOException e) {
            Files.move(partial, file);
        }
    }

    /** Makes the directory's entries durable, so that a crash cannot lose a key file just written or keep a removed one. */
    private static void syncDirectory(Path file) throws IOException {
        try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
