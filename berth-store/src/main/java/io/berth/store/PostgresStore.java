package io.berth.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.berth.control.store.Document;
import io.berth.control.store.ForwardingStore;
import io.berth.control.store.Mutation;
import io.berth.control.store.Store;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The store for several nodes: a PostgreSQL database reached through a small connection pool. Every
 * call takes its own connection, so concurrent calls run in parallel and PostgreSQL orders them.
 */
public final class PostgresStore implements Store {

    // The committer, the leader lease, and reads such as a start's load or an administrator's listing.
    private static final int POOL_SIZE = 6;

    private final HikariDataSource pool;

    private PostgresStore(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Connects, brings the schema up to date and answers the store; fails fast if the database is unreachable. */
    public static PostgresStore open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, null);
    }

    /**
     * As {@link #open(String, String, String)}, the database ending any session of this store that stays idle inside
     * a transaction longer than {@code idleInTransaction}: a node paused or cut off in the middle of a commit must
     * not hold the leader lease's row (and so every other node's takeover) for longer than that.
     */
    public static PostgresStore open(String jdbcUrl, String user, String password, Duration idleInTransaction) {
        HikariConfig config = new HikariConfig();
        if (idleInTransaction != null) {
            config.setConnectionInitSql("SET idle_in_transaction_session_timeout = " + idleInTransaction.toMillis());
        }
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setAutoCommit(false);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setPoolName("berth-postgres");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("Cannot connect to the PostgreSQL store at " + jdbcUrl, e);
        }
        try (Connection connection = pool.getConnection()) {
            Schema.migrate(connection, Schema.POSTGRES);
        } catch (SQLException e) {
            pool.close();
            throw new StoreException("Cannot migrate the PostgreSQL store at " + jdbcUrl, e);
        }
        return new PostgresStore(pool);
    }

    @Override
    public void apply(List<Mutation> batch) {
        apply(batch, Sql.Guard.NONE);
    }

    private void apply(List<Mutation> batch, Sql.Guard guard) {
        try (Connection connection = connection()) {
            Sql.apply(connection, batch, Schema.POSTGRES, guard);
        } catch (SQLException e) {
            throw new StoreException("Cannot release a PostgreSQL connection", e);
        }
    }

    @Override
    public boolean compareAndPut(Document next, String expectedJson) {
        return compareAndPut(next, expectedJson, Sql.Guard.NONE);
    }

    private boolean compareAndPut(Document next, String expectedJson, Sql.Guard guard) {
        try (Connection connection = connection()) {
            return Sql.compareAndPut(connection, next, expectedJson, Schema.POSTGRES, guard);
        } catch (SQLException e) {
            throw new StoreException("Cannot release a PostgreSQL connection", e);
        }
    }

    /**
     * The lease through which this node may lead the nodes sharing the database.
     *
     * @param endpoint where the other nodes forward requests while this node leads
     */
    public LeaderLease leaderLease(String nodeId, String endpoint, Duration ttl) {
        return new LeaderLease(this, pool, nodeId, endpoint, ttl);
    }

    /** This store, each commit of it first passing the guard in the commit's own transaction. */
    Store guardedBy(Sql.Guard guard) {
        PostgresStore store = this;
        return new ForwardingStore(this) {
            @Override
            public void apply(List<Mutation> batch) {
                store.apply(batch, guard);
            }

            @Override
            public boolean compareAndPut(Document next, String expectedJson) {
                return store.compareAndPut(next, expectedJson, guard);
            }

            @Override
            public void close() {
                // The guarded view owns nothing; the store is closed by whoever opened it.
            }
        };
    }

    @Override
    public void loadAll(Consumer<Document> sink) {
        try (Connection connection = connection()) {
            Sql.loadAll(connection, sink);
        } catch (SQLException e) {
            throw new StoreException("Cannot release a PostgreSQL connection", e);
        }
    }

    @Override
    public void loadAllUtf8(Utf8Sink sink) {
        try (Connection connection = connection()) {
            // The driver hands a json column over as the UTF-8 bytes it received: no string is made of it.
            Sql.loadAllUtf8(connection, sink);
        } catch (SQLException e) {
            throw new StoreException("Cannot release a PostgreSQL connection", e);
        }
    }

    @Override
    public List<Document> list(String kind, String scope) {
        try (Connection connection = connection()) {
            return Sql.list(connection, kind, scope);
        } catch (SQLException e) {
            throw new StoreException("Cannot release a PostgreSQL connection", e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    private Connection connection() {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw new StoreException("Cannot reach the PostgreSQL store", e);
        }
    }
}
