package io.berth.e2e;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded PostgreSQL server for a test class (the class is skipped, saying why, where it cannot start), and
 * sets of Berth nodes on it, each set on a database of its own. Sets started by a test are killed after it; sets
 * started before all tests, after all. When a test fails, the end of every node's output is printed.
 */
final class PostgresNodes implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private static final int LOG_LINES_ON_FAILURE = 60;

    private final AtomicInteger databases = new AtomicInteger();
    private final List<NodeSet> classSets = new CopyOnWriteArrayList<>();
    private final List<NodeSet> testSets = new CopyOnWriteArrayList<>();
    private EmbeddedPostgres postgres;
    private Path dir;
    private volatile boolean inTest;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException | RuntimeException e) {
            String reason = "Several-node tests skipped: the embedded PostgreSQL server did not start: " + e;
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        dir = Files.createTempDirectory("berth-nodes");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        inTest = true;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        inTest = false;
        if (context.getExecutionException().isPresent()) {
            printLogs(context, testSets);
            printLogs(context, classSets);
            System.out.println("==== PostgreSQL sessions after " + context.getDisplayName() + " failed\n" + sessions());
        }
        testSets.forEach(NodeSet::close);
        testSets.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        classSets.forEach(NodeSet::close);
        classSets.clear();
        if (postgres != null) {
            postgres.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** {@code count} nodes on a fresh database: node 1 started first (it creates the account), then the others. */
    NodeSet start(int count, Duration leaseTtl, String... extraArguments) {
        return prepare(count, leaseTtl, extraArguments).startFirstThenOthers();
    }

    /** {@code count} nodes on a fresh database, none started yet. */
    NodeSet prepare(int count, Duration leaseTtl, String... extraArguments) {
        String database = "nodes_" + databases.incrementAndGet();
        createDatabase(database);
        NodeSet set = NodeSet.prepare(dir.resolve(database), postgres.getJdbcUrl("postgres", database), count,
                leaseTtl, extraArguments);
        (inTest ? testSets : classSets).add(set);
        return set;
    }

    private void createDatabase(String name) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name, e);
        }
    }

    /** What every session of the nodes' databases is doing: its state, what it waits for and its last query. */
    private String sessions() {
        StringBuilder sessions = new StringBuilder();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT pid, datname, state, wait_event_type, wait_event, "
                     + "now() - xact_start AS in_transaction_for, left(query, 160) FROM pg_stat_activity "
                     + "WHERE datname LIKE 'nodes_%' ORDER BY datname, pid")) {
            while (rows.next()) {
                for (int column = 1; column <= 7; column++) {
                    sessions.append(rows.getString(column)).append(column < 7 ? " | " : "\n");
                }
            }
        } catch (SQLException e) {
            sessions.append("(cannot read pg_stat_activity: ").append(e.getMessage()).append(")");
        }
        return sessions.toString();
    }

    private static void printLogs(ExtensionContext context, List<NodeSet> sets) {
        for (NodeSet set : sets) {
            try {
                System.out.println("==== nodes' output after " + context.getDisplayName() + " failed\n"
                        + set.logTails(LOG_LINES_ON_FAILURE) + "\n==== their leadership threads\n"
                        + set.leadershipThreads());
            } catch (UncheckedIOException e) {
                System.out.println("(cannot read the nodes' output: " + e.getMessage() + ")");
            }
        }
    }
}
