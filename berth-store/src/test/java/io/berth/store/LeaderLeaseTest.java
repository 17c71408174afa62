package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.store.Document;
import io.berth.control.store.Mutation;
import io.berth.control.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The leader lease on a real PostgreSQL server: one holder at a time, and a deposed holder's commits fenced. */
class LeaderLeaseTest {

    @RegisterExtension
    static final EmbeddedPostgresServer SERVER = new EmbeddedPostgresServer("lease");

    private static final Duration LONG = Duration.ofMinutes(5);
    private static final Duration SHORT = Duration.ofMillis(200);

    private final List<PostgresStore> stores = new ArrayList<>();
    private String database;

    @BeforeEach
    void createDatabase() throws Exception {
        database = SERVER.createDatabase();
    }

    @AfterEach
    void closeStores() {
        stores.forEach(PostgresStore::close);
    }

    private PostgresStore node() {
        PostgresStore store = PostgresStore.open(SERVER.jdbcUrl(database), EmbeddedPostgresServer.USER, "");
        stores.add(store);
        return store;
    }

    private static LeaderLease lease(PostgresStore store, String nodeId, Duration ttl) {
        return store.leaderLease(nodeId, "http://" + nodeId + ":8773", ttl);
    }

    private static Mutation put(String id, String json) {
        return new Mutation.Put(new Document("note", "aws:1:r", id, json));
    }

    @Test
    void onlyOneNodeHoldsTheLeaseWhileItRuns() {
        LeaderLease a = lease(node(), "a", LONG);
        LeaderLease b = lease(node(), "b", LONG);

        LeaderLease.Term term = a.tryAcquire().orElseThrow();

        assertThat(term.epoch()).isEqualTo(1);
        assertThat(b.tryAcquire()).isEmpty();
        assertThat(b.standing().leader()).extracting(LeaderLease.Holder::nodeId, LeaderLease.Holder::endpoint,
                LeaderLease.Holder::epoch).containsExactly("a", "http://a:8773", 1L);
        assertThat(a.renew(term, 0)).isTrue();
    }

    @Test
    void aLapsedLeaseGoesToTheNextNodeWithAHigherEpochAndTheFormerHolderCannotRenew() throws Exception {
        LeaderLease a = lease(node(), "a", SHORT);
        LeaderLease b = lease(node(), "b", SHORT);
        LeaderLease.Term first = a.tryAcquire().orElseThrow();
        Thread.sleep(SHORT.toMillis() * 2);

        LeaderLease.Term second = b.tryAcquire().orElseThrow();

        assertThat(second.epoch()).isEqualTo(first.epoch() + 1);
        assertThat(a.renew(first, 0)).isFalse();
        assertThat(b.renew(second, 0)).isTrue();
    }

    @Test
    void aReleasedLeaseIsFreeAtOnce() {
        LeaderLease a = lease(node(), "a", LONG);
        LeaderLease b = lease(node(), "b", LONG);
        LeaderLease.Term first = a.tryAcquire().orElseThrow();

        a.release(first, 0);

        assertThat(a.standing().leader()).isNull();
        assertThat(b.tryAcquire()).map(LeaderLease.Term::epoch).contains(2L);
    }

    @Test
    void aCommitOfAFormerLeaderFailsAndChangesNothing() throws Exception {
        PostgresStore storeA = node();
        LeaderLease a = lease(storeA, "a", SHORT);
        LeaderLease b = lease(node(), "b", LONG);
        LeaderLease.Term first = a.tryAcquire().orElseThrow();
        Store asLeader = a.fencedStore(first);
        asLeader.apply(List.of(put("kept", "{\"v\":1}")));
        Thread.sleep(SHORT.toMillis() * 2);
        b.tryAcquire().orElseThrow();

        assertThatThrownBy(() -> asLeader.apply(List.of(put("kept", "{\"v\":2}"), put("new", "{\"v\":1}"))))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("epoch 1 is over");

        assertThat(storeA.list("note", "aws:1:r")).extracting(Document::id, Document::json)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("kept", "{\"v\":1}"));
    }

    @Test
    void aLeaderWhoseLeaseLapsedWithoutATakeoverStillCommits() throws Exception {
        PostgresStore store = node();
        LeaderLease a = lease(store, "a", SHORT);
        LeaderLease.Term term = a.tryAcquire().orElseThrow();
        Thread.sleep(SHORT.toMillis() * 2);

        a.fencedStore(term).apply(List.of(put("x", "{}")));

        assertThat(store.list("note", "aws:1:r")).extracting(Document::id).containsExactly("x");
    }

    @Test
    void theAgentSequenceRecordedByOneLeaderIsHandedToTheNext() throws Exception {
        LeaderLease a = lease(node(), "a", SHORT);
        LeaderLease b = lease(node(), "b", SHORT);
        LeaderLease.Term first = a.tryAcquire().orElseThrow();
        a.renew(first, 5_000);
        a.renew(first, 4_000);
        Thread.sleep(SHORT.toMillis() * 2);

        assertThat(b.tryAcquire()).map(LeaderLease.Term::acsSequence).contains(5_000L);
    }

    @Test
    void nodesRecordThemselvesWithTheirEndpoints() {
        LeaderLease a = lease(node(), "a", LONG);
        LeaderLease b = lease(node(), "b", LONG);

        a.heartbeat();
        b.heartbeat();
        b.heartbeat();

        assertThat(a.standing().nodes()).extracting(LeaderLease.Node::nodeId, LeaderLease.Node::endpoint)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("a", "http://a:8773"),
                        org.assertj.core.groups.Tuple.tuple("b", "http://b:8773"));
        assertThat(a.standing().leader()).isNull();
    }
}
