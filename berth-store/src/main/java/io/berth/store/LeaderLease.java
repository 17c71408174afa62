package io.berth.store;

import com.zaxxer.hikari.HikariDataSource;
import io.berth.control.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one lease that makes a node the leader of every node on a PostgreSQL store: a row holding the leader's node
 * id, its endpoint, an epoch that rises at every handover and an expiry by the database's own clock, so that nodes
 * whose clocks differ still agree on it. A node also records itself in a table of nodes, for operators to see.
 *
 * <p>The lease alone does not keep a deposed leader from writing: {@link #fencedStore} does, by checking the term in
 * the transaction of every commit, under a lock that a takeover waits for.
 */
public final class LeaderLease {

    /**
     * One node's leadership: from the acquisition that raised the epoch until another node raises it again.
     *
     * @param acsSequence the highest agent message sequence number the leaders before it recorded
     */
    public record Term(String nodeId, String endpoint, long epoch, long acsSequence) {
    }

    /** The lease as stored; {@code nodeId} null when no node holds it. */
    public record Holder(String nodeId, String endpoint, long epoch, Instant expiresAt) {
    }

    /**
     * A node that recorded itself, and when it was last seen.
     *
     * @param alive whether it was seen within the lease's TTL: nodes record themselves several times per TTL
     */
    public record Node(String nodeId, String endpoint, Instant startedAt, Instant lastSeenAt, boolean alive) {
    }

    /**
     * The lease and the nodes as the database sees them at {@code databaseNow}.
     *
     * @param leader the holder while its lease runs, or null
     */
    public record Standing(Holder leader, Instant databaseNow, List<Node> nodes) {
    }

    /** Nodes not seen for this long are forgotten. */
    private static final Duration FORGET_AFTER = Duration.ofHours(1);

    private final PostgresStore store;
    private final HikariDataSource pool;
    private final String nodeId;
    private final String endpoint;
    private final Duration ttl;
    private final Instant startedAt = Instant.now();

    LeaderLease(PostgresStore store, HikariDataSource pool, String nodeId, String endpoint, Duration ttl) {
        this.store = store;
        this.pool = pool;
        this.nodeId = nodeId;
        this.endpoint = endpoint;
        this.ttl = ttl;
    }

    public String nodeId() {
        return nodeId;
    }

    public Duration ttl() {
        return ttl;
    }

    /**
     * Takes the lease when no node holds it, its holder's lease ran out, or this node held it before; the epoch rises
     * by one. Empty when another node's lease still runs.
     */
    public Optional<Term> tryAcquire() {
        return inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE leader_lease SET holder = ?, endpoint = ?, epoch = epoch + 1, "
                            + "expires_at = clock_timestamp() + ? * INTERVAL '1 millisecond' "
                            + "WHERE id = 1 AND (holder IS NULL OR holder = ? OR expires_at < clock_timestamp()) "
                            + "RETURNING epoch, acs_sequence")) {
                update.setString(1, nodeId);
                update.setString(2, endpoint);
                update.setLong(3, ttl.toMillis());
                update.setString(4, nodeId);
                try (ResultSet rs = update.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Term(nodeId, endpoint, rs.getLong(1), rs.getLong(2)))
                            : Optional.<Term>empty();
                }
            }
        });
    }

    /**
     * Extends the term's lease by the TTL from now and records the highest agent message sequence number sent;
     * false when another node took the lease (the term is over).
     */
    public boolean renew(Term term, long acsSequence) {
        return inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE leader_lease SET expires_at = clock_timestamp() + ? * INTERVAL '1 millisecond', "
                            + "acs_sequence = GREATEST(acs_sequence, ?) WHERE id = 1 AND holder = ? AND epoch = ?")) {
                update.setLong(1, ttl.toMillis());
                update.setLong(2, acsSequence);
                update.setString(3, term.nodeId());
                update.setLong(4, term.epoch());
                return update.executeUpdate() == 1;
            }
        });
    }

    /** Gives the lease up, so that another node takes over at once rather than after the TTL. */
    public void release(Term term, long acsSequence) {
        inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE leader_lease SET holder = NULL, expires_at = NULL, acs_sequence = GREATEST(acs_sequence, ?) "
                            + "WHERE id = 1 AND holder = ? AND epoch = ?")) {
                update.setLong(1, acsSequence);
                update.setString(2, term.nodeId());
                update.setLong(3, term.epoch());
                return update.executeUpdate();
            }
        });
    }

    /** Records that this node is alive, and forgets nodes long gone. */
    public void heartbeat() {
        inTransaction(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "INSERT INTO nodes (node_id, endpoint, started_at, seen_at) VALUES (?, ?, ?, clock_timestamp()) "
                            + "ON CONFLICT (node_id) DO UPDATE SET endpoint = excluded.endpoint, seen_at = excluded.seen_at");
                 PreparedStatement forget = connection.prepareStatement(
                         "DELETE FROM nodes WHERE seen_at < clock_timestamp() - ? * INTERVAL '1 millisecond'")) {
                upsert.setString(1, nodeId);
                upsert.setString(2, endpoint);
                upsert.setTimestamp(3, Timestamp.from(startedAt));
                upsert.executeUpdate();
                forget.setLong(1, FORGET_AFTER.toMillis());
                return forget.executeUpdate();
            }
        });
    }

    /** Removes this node from the nodes, as it stops. */
    public void leave() {
        inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM nodes WHERE node_id = ?")) {
                delete.setString(1, nodeId);
                return delete.executeUpdate();
            }
        });
    }

    /** Who leads, by the database's clock, and which nodes were seen. */
    public Standing standing() {
        return inTransaction(connection -> {
            Holder leader = null;
            Instant now;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT holder, endpoint, epoch, expires_at, clock_timestamp() FROM leader_lease WHERE id = 1");
                 ResultSet rs = select.executeQuery()) {
                rs.next();
                now = rs.getTimestamp(5).toInstant();
                Timestamp expires = rs.getTimestamp(4);
                if (rs.getString(1) != null && expires != null && expires.toInstant().isAfter(now)) {
                    leader = new Holder(rs.getString(1), rs.getString(2), rs.getLong(3), expires.toInstant());
                }
            }
            List<Node> nodes = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT node_id, endpoint, started_at, seen_at FROM nodes ORDER BY started_at, node_id");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Instant seen = rs.getTimestamp(4).toInstant();
                    nodes.add(new Node(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), seen,
                            seen.isAfter(now.minus(ttl))));
                }
            }
            return new Standing(leader, now, List.copyOf(nodes));
        });
    }

    /**
     * The store as the term's leader writes it: every commit first checks, in its own transaction and holding a
     * share lock on the lease row, that the term still holds the lease. A takeover updates that row, so it waits for
     * commits under way, and commits after it fail with {@link LeaseLostException} without changing anything.
     */
    public Store fencedStore(Term term) {
        return store.guardedBy(connection -> {
            try (PreparedStatement check = connection.prepareStatement(
                    "SELECT 1 FROM leader_lease WHERE id = 1 AND holder = ? AND epoch = ? FOR SHARE")) {
                check.setString(1, term.nodeId());
                check.setLong(2, term.epoch());
                try (ResultSet rs = check.executeQuery()) {
                    if (!rs.next()) {
                        throw new LeaseLostException("Node " + term.nodeId() + " no longer leads: epoch "
                                + term.epoch() + " is over; nothing of this commit was written");
                    }
                }
            }
        });
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection connection = pool.getConnection()) {
            try {
                // A lease statement waits for a row lock a quarter of the TTL at most, then is tried again later:
                // the loop that renews or takes the lease must never hang behind a paused node.
                try (java.sql.Statement limit = connection.createStatement()) {
                    limit.execute("SET LOCAL lock_timeout = " + Math.max(50, ttl.toMillis() / 4));
                    limit.execute("SET LOCAL statement_timeout = " + Math.max(100, ttl.toMillis() / 2));
                }
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot reach the leader lease in the PostgreSQL store", e);
        }
    }
}
