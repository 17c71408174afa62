package io.berth.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.berth.control.logs.EventPosition;
import io.berth.control.logs.LogStore;
import io.berth.control.logs.StoredEvent;
import io.berth.control.logs.StoredGroup;
import io.berth.control.logs.StoredStream;
import io.berth.control.logs.StreamPage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The log store on a SQL database: a SQLite file of its own (WAL, full sync), or tables in the
 * PostgreSQL database of the control plane. Writes go through one {@link LogWriter}, which commits
 * the writes waiting together; reads run on connections of their own, in parallel with the writes.
 */
public final class SqlLogStore implements LogStore {

    /** A list of streams longer than this is not put into the query: the events are picked afterwards. */
    private static final int MAX_LISTED_STREAMS = 500;
    private static final int SQLITE_READERS = 4;
    private static final int POSTGRES_POOL_SIZE = 6;

    /** Where reads get a connection. */
    private interface Readers extends AutoCloseable {
        <R> R read(LogWriter.Work<R> work);

        @Override
        void close();
    }

    private final LogStatements sql;
    private final LogEvents logEvents;
    private final LogRemovals removals;
    private final LogWriter writer;
    private final Readers readers;

    private SqlLogStore(LogSchema schema, LogWriter writer, Readers readers) {
        this.sql = new LogStatements();
        this.logEvents = new LogEvents(schema);
        this.removals = new LogRemovals();
        this.writer = writer;
        this.readers = readers;
    }

    /** Opens (creating when missing) the SQLite log database at the file and brings its schema up to date. */
    public static SqlLogStore sqlite(Path file) {
        OwnerOnlyFiles.prepareSqlite(file);
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        List<Connection> opened = new ArrayList<>();
        try {
            Connection writing = openSqlite(url, opened);
            try (Statement statement = writing.createStatement()) {
                // Only a new database takes it: events share 16 KiB pages instead of spilling over 4 KiB ones.
                statement.execute("PRAGMA page_size=16384");
                statement.execute("PRAGMA journal_mode=WAL");
            }
            Schema.migrate(writing, LogSchema.VERSION_TABLE, null, LogSchema.SQLITE.migrations());
            writing.setAutoCommit(false);
            BlockingQueue<Connection> idle = new ArrayBlockingQueue<>(SQLITE_READERS);
            for (int i = 0; i < SQLITE_READERS; i++) {
                idle.add(openSqlite(url, opened));
            }
            LogWriter writer = new LogWriter(writing, "berth-log-writer");
            Readers readers = new Readers() {
                @Override
                public <R> R read(LogWriter.Work<R> work) {
                    Connection connection;
                    try {
                        connection = idle.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new StoreException("Interrupted waiting for a log store connection", e);
                    }
                    try {
                        return work.run(connection);
                    } catch (SQLException e) {
                        throw new StoreException("Cannot read the log store", e);
                    } finally {
                        idle.add(connection);
                    }
                }

                @Override
                public void close() {
                    closeAll(opened);
                }
            };
            return new SqlLogStore(LogSchema.SQLITE, writer, readers);
        } catch (SQLException e) {
            closeAll(opened);
            throw new StoreException("Cannot open the SQLite log store at " + file, e);
        }
    }

    private static Connection openSqlite(String url, List<Connection> opened) throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        opened.add(connection);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA synchronous=FULL");
            statement.execute("PRAGMA busy_timeout=10000");
            statement.execute("PRAGMA cache_size=-32768");
            statement.execute("PRAGMA mmap_size=1073741824");
        }
        return connection;
    }

    /** Connects to the PostgreSQL database and brings the log tables up to date; fails fast when unreachable. */
    public static SqlLogStore postgres(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(POSTGRES_POOL_SIZE);
        config.setPoolName("berth-postgres-logs");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("Cannot connect to the PostgreSQL log store at " + jdbcUrl, e);
        }
        try {
            Connection writing = pool.getConnection();
            Schema.migrate(writing, LogSchema.VERSION_TABLE, LogSchema.POSTGRES.schemaLock(),
                    LogSchema.POSTGRES.migrations());
            writing.setAutoCommit(false);
            LogWriter writer = new LogWriter(writing, "berth-log-writer");
            Readers readers = new Readers() {
                @Override
                public <R> R read(LogWriter.Work<R> work) {
                    try (Connection connection = pool.getConnection()) {
                        return work.run(connection);
                    } catch (SQLException e) {
                        throw new StoreException("Cannot read the log store", e);
                    }
                }

                @Override
                public void close() {
                    try {
                        writing.close();
                    } catch (SQLException e) {
                        // The pool closes it anyway.
                    }
                    pool.close();
                }
            };
            return new SqlLogStore(LogSchema.POSTGRES, writer, readers);
        } catch (SQLException e) {
            pool.close();
            throw new StoreException("Cannot migrate the PostgreSQL log store at " + jdbcUrl, e);
        }
    }

    @Override
    public boolean createGroup(StoredGroup.New group) {
        return writer.write(c -> sql.createGroup(c, group));
    }

    @Override
    public Optional<StoredGroup> group(String scope, String name) {
        return readers.read(c -> sql.group(c, scope, name));
    }

    @Override
    public List<StoredGroup> groups(String scope, String prefix, String after, int limit) {
        return readers.read(c -> sql.groups(c, scope, prefix, after, limit));
    }

    @Override
    public boolean deleteGroup(String scope, String name) {
        return writer.write(c -> sql.deleteGroup(c, scope, name));
    }

    @Override
    public boolean setRetention(long groupId, Integer retentionInDays) {
        return writer.write(c -> sql.setRetention(c, groupId, retentionInDays));
    }

    @Override
    public List<StoredGroup> groupsWithRetention() {
        return readers.read(sql::groupsWithRetention);
    }

    @Override
    public Map<String, String> tags(long groupId) {
        return readers.read(c -> sql.tags(c, groupId));
    }

    @Override
    public boolean setTags(long groupId, Map<String, String> tags) {
        return writer.write(c -> sql.setTags(c, groupId, tags));
    }

    @Override
    public boolean createStream(long groupId, String name, long creationTime) {
        return writer.write(c -> sql.createStream(c, groupId, name, creationTime));
    }

    @Override
    public Optional<StoredStream> stream(long groupId, String name) {
        return readers.read(c -> sql.stream(c, groupId, name));
    }

    @Override
    public List<StoredStream> streams(long groupId, StreamPage page) {
        return readers.read(c -> sql.streams(c, groupId, page));
    }

    @Override
    public Map<Long, String> streamNames(long groupId, String prefix) {
        return readers.read(c -> sql.streamNames(c, groupId, prefix));
    }

    @Override
    public boolean deleteStream(long groupId, String name) {
        return writer.write(c -> sql.deleteStream(c, groupId, name));
    }

    @Override
    public OptionalLong append(long groupId, long streamId, List<StoredEvent.New> events, long ingestionTime) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("No events to append");
        }
        return writer.write(c -> logEvents.append(c, groupId, streamId, events, ingestionTime));
    }

    @Override
    public List<StoredEvent> read(long streamId, long startTime, long endTime, EventPosition boundary,
            boolean forward, int limit) {
        return readers.read(c -> logEvents.read(c, streamId, startTime, endTime, boundary, forward, limit));
    }

    @Override
    public List<StoredEvent> scan(long groupId, Set<Long> streamIds, long startTime, long endTime,
            EventPosition after, List<List<String>> mustContain, int limit) {
        if (streamIds != null && streamIds.isEmpty()) {
            return List.of();
        }
        if (streamIds == null || streamIds.size() <= MAX_LISTED_STREAMS) {
            return readers.read(c -> logEvents.scan(c, groupId, streamIds, startTime, endTime, after, mustContain, limit));
        }
        // Too many streams to name in the query: read the group's events and keep those of the streams.
        List<StoredEvent> found = new ArrayList<>();
        EventPosition from = after;
        while (found.size() < limit) {
            EventPosition position = from;
            List<StoredEvent> chunk = readers.read(
                    c -> logEvents.scan(c, groupId, null, startTime, endTime, position, mustContain, limit));
            for (StoredEvent event : chunk) {
                if (streamIds.contains(event.streamId()) && found.size() < limit) {
                    found.add(event);
                }
            }
            if (chunk.size() < limit) {
                break;
            }
            from = chunk.get(chunk.size() - 1).position();
        }
        return found;
    }

    @Override
    public int deleteOlderThan(long groupId, long cutoff, int maxEvents) {
        return writer.write(c -> removals.deleteOlderThan(c, groupId, cutoff, maxEvents));
    }

    @Override
    public int purgeDeleted(int maxEvents) {
        return writer.write(c -> removals.purgeDeleted(c, maxEvents));
    }

    @Override
    public void close() {
        writer.close();
        readers.close();
    }

    private static void closeAll(List<Connection> connections) {
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Closing what is left; nothing more to do.
            }
        }
    }
}
