package io.berth.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The claim of one running server on its data directory: an exclusive lock on a file in it, held
 * while the server runs, so a second server on the same SQLite files is refused at start instead of
 * writing them beside the first. The operating system drops the lock when the process dies, so a
 * killed server leaves nothing to clean up. A node on a PostgreSQL store holds its data directory too:
 * its node id is kept there, and must belong to one live process only.
 */
final class DataDirLock implements AutoCloseable {

    static final String FILE = "server.lock";
    static final String NODE_ID_FILE = "node-id";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the data directory, or refuses with a message that says which directory is in use. */
    static DataDirLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    DataDir.ownerOnlyFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open " + file, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot lock " + file, e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new IllegalStateException("Another Berth server is using the data directory " + dataDir
                    + "; stop it first, or give this server a --data-dir of its own.");
        }
        return new DataDirLock(channel, lock);
    }

    /**
     * This data directory's node id: the one kept in it, or a new one kept from now on. A node restarted on its
     * directory is the same node, so it may take back at once a lease its killed predecessor held; the lock makes
     * sure no other live process has that id.
     */
    String nodeId(Path dataDir) {
        Path file = dataDir.resolve(NODE_ID_FILE);
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file).strip();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            String id = java.util.UUID.randomUUID().toString();
            Path written = dataDir.resolve(NODE_ID_FILE + ".new");
            Files.deleteIfExists(written);
            Files.createFile(written, DataDir.ownerOnlyFile());
            Files.writeString(written, id + "\n");
            Files.move(written, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // The channel's close below releases it anyway.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing left to release.
        }
    }
}
