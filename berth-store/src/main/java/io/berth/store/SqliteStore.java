package io.berth.store;

import io.berth.control.store.Document;
import io.berth.control.store.Mutation;
import io.berth.control.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The embedded store: one SQLite file in WAL mode with full sync, so a commit that returned is on
 * disk. One connection serves all calls; the control plane batches writes, so that is enough.
 */
public final class SqliteStore implements Store {

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    private SqliteStore(Connection connection) {
        this.connection = connection;
    }

    /** Opens (creating when missing) the database at the file, readable by its owner only, with its schema up to date. */
    public static SqliteStore open(Path file) {
        OwnerOnlyFiles.prepareSqlite(file);
        try {
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement statement = connection.createStatement()) {
                // Task documents run to a couple of KiB: with 16 KiB pages they share pages instead of each
                // spilling into an overflow page. Only a new database takes it; an existing one keeps its size.
                statement.execute("PRAGMA page_size=16384");
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=FULL");
                statement.execute("PRAGMA busy_timeout=10000");
                // Placements and reports write all over the index: with SQLite's default 2 MiB page cache most of
                // them first read their page back from the file. Pages are read through a memory map instead.
                statement.execute("PRAGMA cache_size=-65536");
                statement.execute("PRAGMA mmap_size=1073741824");
            }
            Schema.migrate(connection, Schema.SQLITE);
            connection.setAutoCommit(false);
            return new SqliteStore(connection);
        } catch (SQLException e) {
            throw new StoreException("Cannot open the SQLite store at " + file, e);
        }
    }

    @Override
    public void apply(List<Mutation> batch) {
        lock.lock();
        try {
            Sql.apply(connection, batch, Schema.SQLITE);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean compareAndPut(Document next, String expectedJson) {
        lock.lock();
        try {
            return Sql.compareAndPut(connection, next, expectedJson, Schema.SQLITE, Sql.Guard.NONE);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void loadAll(Consumer<Document> sink) {
        lock.lock();
        try {
            Sql.loadAll(connection, sink);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void loadAllUtf8(Utf8Sink sink) {
        lock.lock();
        try {
            // SQLite keeps the text as UTF-8: the bytes come out as they are, without a decode to a string.
            Sql.loadAllUtf8(connection, sink);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Document> list(String kind, String scope) {
        lock.lock();
        try {
            return Sql.list(connection, kind, scope);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("Cannot close the SQLite store", e);
        } finally {
            lock.unlock();
        }
    }
}
