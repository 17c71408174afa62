package io.berth.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.berth.control.audit.AuditQuery;
import io.berth.control.audit.AuditRecord;
import io.berth.control.audit.AuditStore;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail on a SQL database: a SQLite file of its own (WAL, readable by its owner only), or
 * tables in the PostgreSQL database of the control plane. Records are committed by their callers
 * ({@link CallerCommits}), all those waiting in one transaction, so concurrent calls share a commit; lookups run
 * on a connection of their own. A committed record survives the server's crash (kill -9) at once: it
 * is in the operating system's (or PostgreSQL's) hands. It reaches the disk within a second rather
 * than at each commit, so that recording does not add a disk flush to every call it records; only
 * the machine's own crash within that second can lose it.
 */
public final class SqlAuditStore implements AuditStore {

    private static final int POSTGRES_POOL_SIZE = 3;
    /** How long a recorded event may sit in the operating system's cache before it is on the disk. */
    static final Duration SYNC_PERIOD = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(SqlAuditStore.class);

    /** Where lookups get a connection. */
    @FunctionalInterface
    private interface Reader {
        <R> R read(LogWriter.Work<R> work) throws SQLException;
    }

    private final CallerCommits writer;
    private final Reader reader;
    private final AutoCloseable connections;

    private SqlAuditStore(CallerCommits writer, Reader reader, AutoCloseable connections) {
        this.writer = writer;
        this.reader = reader;
        this.connections = connections;
    }

    /** Opens (creating when missing) the SQLite audit database at the file and brings its schema up to date. */
    public static SqlAuditStore sqlite(Path file) {
        createOwnerOnly(file);
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        Connection writing = null;
        Connection reading = null;
        try {
            writing = openSqlite(url);
            try (Statement statement = writing.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                // A commit is in the operating system's hands, safe from the server's own crash; the sync
                // below puts it on the disk within a second instead of once per commit.
                statement.execute("PRAGMA synchronous=NORMAL");
                // Checkpoints (and their syncs) are the timer's, off the recording callers' path.
                statement.execute("PRAGMA wal_autocheckpoint=0");
            }
            Schema.migrate(writing, AuditSchema.VERSION_TABLE, null, AuditSchema.SQLITE.migrations());
            writing.setAutoCommit(false);
            reading = openSqlite(url);
            Connection lookups = reading;
            Connection written = writing;
            Reader reader = new Reader() {
                @Override
                public <R> R read(LogWriter.Work<R> work) throws SQLException {
                    synchronized (lookups) {
                        return work.run(lookups);
                    }
                }
            };
            ScheduledExecutorService syncs = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("berth-audit-sync").daemon().factory());
            syncs.scheduleWithFixedDelay(() -> sync(reader), SYNC_PERIOD.toMillis(), SYNC_PERIOD.toMillis(),
                    TimeUnit.MILLISECONDS);
            return new SqlAuditStore(new CallerCommits(writing, "audit store"), reader, () -> {
                syncs.shutdownNow();
                syncs.awaitTermination(10, TimeUnit.SECONDS);
                sync(reader);
                lookups.close();
                written.close();
            });
        } catch (SQLException e) {
            closeQuietly(reading);
            closeQuietly(writing);
            throw new StoreException("Cannot open the SQLite audit store at " + file, e);
        }
    }

    /** Connects to the PostgreSQL database and brings the audit tables up to date; fails fast when unreachable. */
    public static SqlAuditStore postgres(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(POSTGRES_POOL_SIZE);
        config.setPoolName("berth-postgres-audit");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("Cannot connect to the PostgreSQL audit store at " + jdbcUrl, e);
        }
        try {
            Connection writing = pool.getConnection();
            Schema.migrate(writing, AuditSchema.VERSION_TABLE, AuditSchema.POSTGRES.schemaLock(),
                    AuditSchema.POSTGRES.migrations());
            try (Statement statement = writing.createStatement()) {
                // As on SQLite: safe from the server's crash at once, on the database's disk a moment later.
                statement.execute("SET synchronous_commit TO off");
            }
            writing.setAutoCommit(false);
            Reader reader = new Reader() {
                @Override
                public <R> R read(LogWriter.Work<R> work) throws SQLException {
                    try (Connection connection = pool.getConnection()) {
                        return work.run(connection);
                    }
                }
            };
            return new SqlAuditStore(new CallerCommits(writing, "audit store"), reader, () -> {
                closeQuietly(writing);
                pool.close();
            });
        } catch (SQLException e) {
            pool.close();
            throw new StoreException("Cannot migrate the PostgreSQL audit store at " + jdbcUrl, e);
        }
    }

    @Override
    public void append(AuditRecord record) {
        writer.write(c -> {
            AuditStatements.append(c, record);
            return null;
        });
    }

    @Override
    public List<AuditRecord> lookup(AuditQuery query) {
        try {
            return reader.read(c -> AuditStatements.lookup(c, query));
        } catch (SQLException e) {
            throw new StoreException("Cannot read the audit store", e);
        }
    }

    @Override
    public int deleteOlderThan(long cutoff, int maxEvents) {
        return writer.write(c -> AuditStatements.deleteOlderThan(c, cutoff, maxEvents));
    }

    @Override
    public void close() {
        writer.close();
        try {
            connections.close();
        } catch (Exception e) {
            // Closing what is left; nothing more to do.
        }
    }

    /** Checkpoints the write-ahead log, which syncs it to the disk first; a failure is tried again next time. */
    private static void sync(Reader reader) {
        try {
            reader.read(c -> {
                try (Statement statement = c.createStatement()) {
                    return statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
                }
            });
        } catch (SQLException | RuntimeException e) {
            log.warn("Syncing the audit trail failed; it is tried again in {}", SYNC_PERIOD, e);
        }
    }

    /** The trail says who did what: its file is its owner's alone, from the start. */
    private static void createOwnerOnly(Path file) {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException | UnsupportedOperationException e) {
            // An existing trail keeps its mode; a file system without POSIX modes has none to set.
        } catch (IOException e) {
            throw new StoreException("Cannot create the audit store at " + file, e);
        }
    }

    private static Connection openSqlite(String url) throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA synchronous=FULL");
            statement.execute("PRAGMA busy_timeout=10000");
        }
        return connection;
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Closing what is left; nothing more to do.
            }
        }
    }
}
