package io.berth.server;

import io.berth.control.audit.AuditStore;
import io.berth.control.logs.LogStore;
import io.berth.control.store.Store;
import io.berth.store.PostgresStore;
import io.berth.store.SqlAuditStore;
import io.berth.store.SqlLogStore;
import io.berth.store.SqliteStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Which store keeps the state: the embedded SQLite file in the data directory (the default), or a
 * PostgreSQL database.
 *
 * @param jdbcUrl the PostgreSQL database, such as {@code jdbc:postgresql://db:5432/berth}; null for SQLite
 * @param leaseTtl how long the leader lease of the nodes sharing a PostgreSQL store runs unless renewed; a node
 *     takes over that long after its leader stopped renewing
 */
public record StoreConfig(Type type, String jdbcUrl, String user, String password, Duration leaseTtl) {

    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(10);

    public static final String DATABASE_FILE = "berth.db";
    /** The SQLite file of the log events, beside the state's. */
    public static final String LOGS_FILE = "logs.db";
    /** The SQLite file of the audit trail, beside the state's. */
    public static final String AUDIT_FILE = "audit.db";

    public enum Type {
        SQLITE, POSTGRES
    }

    public StoreConfig {
        Objects.requireNonNull(type, "type");
        if (type == Type.POSTGRES && (jdbcUrl == null || jdbcUrl.isBlank())) {
            throw new IllegalArgumentException("The PostgreSQL store needs a JDBC URL");
        }
        if (type == Type.SQLITE && jdbcUrl != null) {
            throw new IllegalArgumentException("A JDBC URL is only for the PostgreSQL store");
        }
        Objects.requireNonNull(leaseTtl, "leaseTtl");
        if (leaseTtl.toMillis() < 200) {
            throw new IllegalArgumentException("The lease TTL must be at least 200 ms");
        }
    }

    public static StoreConfig sqlite() {
        return new StoreConfig(Type.SQLITE, null, null, null, DEFAULT_LEASE_TTL);
    }

    public static StoreConfig postgres(String jdbcUrl, String user, String password) {
        return new StoreConfig(Type.POSTGRES, jdbcUrl, user, password, DEFAULT_LEASE_TTL);
    }

    /** The same store, its leader lease running {@code ttl} unless renewed. */
    public StoreConfig withLeaseTtl(Duration ttl) {
        return new StoreConfig(type, jdbcUrl, user, password, ttl);
    }

    /** Opens the store, bringing its schema up to date. */
    public Store open(Path dataDir) {
        return switch (type) {
            case SQLITE -> SqliteStore.open(dataDir.resolve(DATABASE_FILE));
            // Half the TTL: a paused node's open transaction is ended well before its lease could run out.
            case POSTGRES -> PostgresStore.open(jdbcUrl, user, password, leaseTtl.dividedBy(2));
        };
    }

    /** Opens the store of log groups, streams and events: its own SQLite file, or tables beside the state's. */
    public LogStore openLogs(Path dataDir) {
        return switch (type) {
            case SQLITE -> SqlLogStore.sqlite(dataDir.resolve(LOGS_FILE));
            case POSTGRES -> SqlLogStore.postgres(jdbcUrl, user, password);
        };
    }

    /** Opens the audit trail's store: its own SQLite file, or tables beside the state's. */
    public AuditStore openAudit(Path dataDir) {
        return switch (type) {
            case SQLITE -> SqlAuditStore.sqlite(dataDir.resolve(AUDIT_FILE));
            case POSTGRES -> SqlAuditStore.postgres(jdbcUrl, user, password);
        };
    }

    /** Where the state is, for the log; never shows the password. */
    public String describe(Path dataDir) {
        return switch (type) {
            case SQLITE -> "SQLite " + dataDir.resolve(DATABASE_FILE);
            case POSTGRES -> "PostgreSQL " + jdbcUrl;
        };
    }

    @Override
    public String toString() {
        return "StoreConfig[type=" + type + ", jdbcUrl=" + jdbcUrl + ", user=" + user + ", leaseTtl=" + leaseTtl + "]";
    }
}
