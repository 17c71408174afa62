package io.berth.control.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.Scope;
import io.berth.control.cluster.Clusters;
import io.berth.control.store.Document;
import io.berth.control.store.MemoryStore;
import io.berth.control.store.Mutation;
import io.berth.control.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.Tag;

class StateTest {

    record Note(String text, int version) {
    }

    static final Kind<Note> NOTE = Kinds.json("note", Note.class);
    static final List<Kind<?>> KINDS = List.of(NOTE, Clusters.KIND);
    static final Scope HOME = new Scope("aws", "123456789012", "us-east-1");
    private static final Scope ABROAD = new Scope("aws", "123456789012", "eu-west-1");

    private final List<State> opened = new ArrayList<>();
    private final List<CountDownLatch> gates = new ArrayList<>();

    @AfterEach
    void closeStates() {
        // Held commits are let through, so that a failed test does not leave its state unable to close.
        gates.forEach(CountDownLatch::countDown);
        opened.forEach(State::close);
    }

    private State open(Store store) {
        State state = new State(store, KINDS);
        opened.add(state);
        return state;
    }

    @Test
    void aWriteThatThrowsChangesNothingInMemoryOrInTheStore() {
        MemoryStore store = new MemoryStore();
        State state = open(store);
        state.write(HOME, tx -> {
            tx.put(NOTE, "kept", new Note("original", 1));
            return null;
        });

        assertThatThrownBy(() -> state.write(HOME, tx -> {
            tx.put(NOTE, "kept", new Note("overwritten", 2));
            tx.put(NOTE, "new", new Note("new", 1));
            tx.delete(NOTE, "kept");
            throw new IllegalArgumentException("refused");
        })).hasMessage("refused");

        assertThat(state.region(HOME).all(NOTE)).containsExactly(new Note("original", 1));
        assertThat(store.list("note", HOME.key())).extracting(Document::id).containsExactly("kept");
    }

    @Test
    void aTransactionSeesItsOwnWritesAndOthersSeeThemOnceTheWriteReturns() {
        State state = open(new MemoryStore());
        state.write(HOME, tx -> {
            tx.put(NOTE, "a", new Note("a", 1));
            return null;
        });

        Note seenInside = state.write(HOME, tx -> {
            tx.put(NOTE, "b", new Note("b", 1));
            tx.delete(NOTE, "a");
            assertThat(tx.get(NOTE, "a")).isEmpty();
            return tx.get(NOTE, "b").orElseThrow();
        });

        assertThat(seenInside).isEqualTo(new Note("b", 1));
        assertThat(state.region(HOME).get(NOTE, "a")).isEmpty();
        assertThat(state.region(HOME).get(NOTE, "b")).contains(new Note("b", 1));
        assertThat(state.region(ABROAD).get(NOTE, "b")).isEmpty();
    }

    @Test
    void aWriteWithoutChangesDoesNotTouchTheStore() {
        CountingStore store = new CountingStore(new MemoryStore());
        State state = open(store);

        String answer = state.write(HOME, tx -> tx.get(NOTE, "absent").map(Note::text).orElse("none"));

        assertThat(answer).isEqualTo("none");
        assertThat(store.applies.get()).isZero();
    }

    @Test
    void manyThreadsWritingAtOnceAreAllDurable() throws Exception {
        MemoryStore store = new MemoryStore();
        State state = open(store);
        int threads = 16;
        int writesPerThread = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Scope scope = thread % 2 == 0 ? HOME : ABROAD;
                done.add(pool.submit(() -> {
                    for (int w = 0; w < writesPerThread; w++) {
                        int write = w;
                        state.write(scope, tx -> {
                            tx.put(NOTE, "t%02d-w%03d".formatted(thread, write), new Note("x", write));
                            // Every writer also bumps one shared counter: lost updates would show here.
                            int count = tx.get(NOTE, "counter").map(Note::version).orElse(0);
                            tx.put(NOTE, "counter", new Note("counter", count + 1));
                            return null;
                        });
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        State reopened = open(store);
        int perScope = threads / 2 * writesPerThread;
        for (Scope scope : List.of(HOME, ABROAD)) {
            assertThat(reopened.region(scope).all(NOTE)).hasSize(perScope + 1);
            assertThat(reopened.region(scope).get(NOTE, "counter")).contains(new Note("counter", perScope));
            assertThat(tables(reopened, scope)).isEqualTo(tables(state, scope));
        }
    }

    @Test
    void writesThatArriveDuringACommitShareTheNextOne() throws Exception {
        GatedStore store = new GatedStore(new MemoryStore());
        gates.add(store.gate);
        State state = open(store);
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            Future<?> first = pool.submit(() -> writeNote(state, "first"));
            assertThat(store.entered.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<?>> waiting = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String id = "waiting-" + i;
                waiting.add(pool.submit(() -> writeNote(state, id)));
            }
            // The eight writes are in memory (and queued) before the first commit is let through.
            while (state.write(HOME, tx -> tx.region().all(NOTE).size()) < 9) {
                pause();
            }
            assertThat(waiting).noneMatch(Future::isDone);
            assertThat(state.region(HOME).all(NOTE)).as("nothing is durable yet").isEmpty();

            store.gate.countDown();
            first.get();
            for (Future<?> future : waiting) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.batchSizes).containsExactly(1, 8);
    }

    @Test
    void aDocumentChangedSeveralTimesWithinOneCommitIsStoredOnceAsItEnded() throws Exception {
        MemoryStore memory = new MemoryStore();
        GatedStore store = new GatedStore(memory);
        gates.add(store.gate);
        State state = open(store);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<?>> writes = new ArrayList<>();
            writes.add(pool.submit(() -> writeNote(state, "first")));
            assertThat(store.entered.await(10, TimeUnit.SECONDS)).isTrue();
            // One at a time, each in memory before the next, so their order is known.
            writes.add(pool.submit(() -> putNote(state, "shared", 1)));
            awaitInMemory(state, "shared", 1);
            writes.add(pool.submit(() -> putNote(state, "shared", 2)));
            awaitInMemory(state, "shared", 2);
            writes.add(pool.submit(() -> putNote(state, "gone", 1)));
            awaitInMemory(state, "gone", 1);
            writes.add(pool.submit(() -> state.write(HOME, tx -> {
                tx.delete(NOTE, "gone");
                return null;
            })));
            while (state.write(HOME, tx -> tx.get(NOTE, "gone")).isPresent()) {
                pause();
            }

            store.gate.countDown();
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.batchSizes).containsExactly(1, 2);
        State reopened = open(memory);
        assertThat(reopened.region(HOME).get(NOTE, "shared")).contains(new Note("shared", 2));
        assertThat(reopened.region(HOME).get(NOTE, "gone")).isEmpty();
        assertThat(tables(reopened, HOME)).isEqualTo(tables(state, HOME));
    }

    static void putNote(State state, String id, int value) {
        state.write(HOME, tx -> {
            tx.put(NOTE, id, new Note(id, value));
            return null;
        });
    }

    /** Waits until the scope's next writer sees the value. */
    static void awaitInMemory(State state, String id, int value) {
        while (!state.write(HOME, tx -> tx.get(NOTE, id)).equals(java.util.Optional.of(new Note(id, value)))) {
            pause();
        }
    }

    /** Between two looks as the writer: long enough for the writers being waited for to take the lock. */
    static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void resetRemovesEveryResourceOfEveryScopeDurablyButLeavesOtherKinds() {
        MemoryStore store = new MemoryStore();
        Document accessKey = new Document("access-key", "global", "AKIAEXAMPLE", "{}");
        store.apply(List.of(new Mutation.Put(accessKey)));
        State state = open(store);
        writeNote(state, "a");
        state.write(ABROAD, tx -> {
            tx.put(NOTE, "b", new Note("b", 1));
            tx.put(Clusters.KIND, "prod", Cluster.builder().clusterName("prod").build());
            return null;
        });

        int removed = state.reset();

        assertThat(removed).isEqualTo(3);
        assertThat(state.region(HOME).all(NOTE)).isEmpty();
        assertThat(state.region(ABROAD).all(Clusters.KIND)).isEmpty();
        List<Document> stored = new ArrayList<>();
        store.loadAll(stored::add);
        assertThat(stored).containsExactly(accessKey);
    }

    @Test
    void aRestartRebuildsIdenticalTables() {
        MemoryStore store = new MemoryStore();
        State state = open(store);
        state.write(HOME, tx -> {
            tx.put(Clusters.KIND, "prod", Cluster.builder()
                    .clusterName("prod")
                    .clusterArn(HOME.arn("cluster/prod"))
                    .status("ACTIVE")
                    .tags(Tag.builder().key("team").value("infra").build())
                    .settings(ClusterSetting.builder().name("containerInsights").value("enabled").build())
                    .build());
            tx.put(Clusters.KIND, "gone", Cluster.builder().clusterName("gone").build());
            tx.put(NOTE, "a b/c:D", new Note("odd id", 1));
            return null;
        });
        state.write(ABROAD, tx -> {
            tx.put(NOTE, "x", new Note("abroad", 2));
            return null;
        });
        state.write(HOME, tx -> {
            tx.delete(Clusters.KIND, "gone");
            return null;
        });

        State restarted = open(store);

        assertThat(restarted.scopes()).containsExactlyInAnyOrderElementsOf(state.scopes());
        for (Scope scope : state.scopes()) {
            assertThat(tables(restarted, scope)).isEqualTo(tables(state, scope));
        }
        assertThat(restarted.region(HOME).get(Clusters.KIND, "prod").orElseThrow().tags())
                .containsExactly(Tag.builder().key("team").value("infra").build());
    }

    @Test
    void afterTheStoreFailsLaterWritesAreRefusedInsteadOfDiverging() {
        FailingStore store = new FailingStore(new MemoryStore());
        State state = open(store);
        writeNote(state, "before");

        store.failing.set(true);
        assertThatThrownBy(() -> writeNote(state, "lost")).isInstanceOf(IllegalStateException.class);
        store.failing.set(false);

        AtomicBoolean ran = new AtomicBoolean();
        assertThatThrownBy(() -> state.write(HOME, tx -> {
            ran.set(true);
            tx.put(NOTE, "after", new Note("after", 1));
            return null;
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("store failed");

        assertThat(ran).isFalse();
        assertThat(store.list("note", HOME.key())).extracting(Document::id).containsExactly("before");
    }

    /** A view that keeps the texts of the notes by id, as committed. */
    private static final class Texts implements Region.View<Note> {
        final Map<String, String> byId = new TreeMap<>();

        @Override
        public void changed(String id, Note before, Note after) {
            if (after == null) {
                byId.remove(id);
            } else {
                byId.put(id, after.text());
            }
        }
    }

    @Test
    void aViewStartsFromTheStoredValuesAndFollowsOnlyCommittedChanges() {
        MemoryStore store = new MemoryStore();
        State first = open(store);
        writeNote(first, "a");
        first.close();
        opened.remove(first);
        State state = open(store);
        Texts texts = state.region(HOME).view(NOTE, "texts", Texts::new);
        writeNote(state, "b");

        state.write(HOME, tx -> {
            tx.put(NOTE, "a", new Note("changed", 2));
            assertThat(texts.byId).as("not before the commit").containsEntry("a", "a");
            return null;
        });
        assertThatThrownBy(() -> state.write(HOME, tx -> {
            tx.delete(NOTE, "b");
            throw new IllegalArgumentException("refused");
        })).hasMessage("refused");

        assertThat(texts.byId).containsExactlyEntriesOf(new TreeMap<>(Map.of("a", "changed", "b", "b")));
        assertThat(state.region(HOME).view(NOTE, "texts", Texts::new)).isSameAs(texts);
        state.write(HOME, tx -> {
            tx.delete(NOTE, "a");
            return null;
        });
        assertThat(texts.byId).containsOnlyKeys("b");
    }

    @Test
    void aTransactionTellsWhetherItTouchedAKind() {
        State state = open(new MemoryStore());

        state.write(HOME, tx -> {
            assertThat(tx.touches(NOTE)).isFalse();
            tx.delete(NOTE, "absent");
            assertThat(tx.touches(NOTE)).isTrue();
            assertThat(tx.touches(Clusters.KIND)).isFalse();
            return null;
        });
    }

    private static void writeNote(State state, String id) {
        state.write(HOME, tx -> {
            tx.put(NOTE, id, new Note(id, 1));
            return null;
        });
    }

    /** Every table of the scope, as id to value, for comparing two states. */
    private static Map<String, Map<String, Object>> tables(State state, Scope scope) {
        Map<String, Map<String, Object>> tables = new TreeMap<>();
        for (Kind<?> kind : KINDS) {
            Map<String, Object> table = new TreeMap<>();
            for (String id : state.region(scope).ids(kind.name())) {
                table.put(id, state.region(scope).get(kind, id).orElseThrow());
            }
            tables.put(kind.name(), table);
        }
        return tables;
    }

    /** A store that passes everything on to another one. */
    private abstract static class ForwardingStore implements Store {
        final Store delegate;

        ForwardingStore(Store delegate) {
            this.delegate = delegate;
        }

        @Override
        public void apply(List<Mutation> batch) {
            delegate.apply(batch);
        }

        @Override
        public void loadAll(Consumer<Document> sink) {
            delegate.loadAll(sink);
        }

        @Override
        public List<Document> list(String kind, String scope) {
            return delegate.list(kind, scope);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private static final class CountingStore extends ForwardingStore {
        final AtomicInteger applies = new AtomicInteger();

        CountingStore(Store delegate) {
            super(delegate);
        }

        @Override
        public void apply(List<Mutation> batch) {
            applies.incrementAndGet();
            super.apply(batch);
        }
    }

    /** Holds its first commit until the test opens the gate, and records every batch's size. */
    private static final class GatedStore extends ForwardingStore {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

        GatedStore(Store delegate) {
            super(delegate);
        }

        @Override
        public void apply(List<Mutation> batch) {
            batchSizes.add(batch.size());
            entered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            super.apply(batch);
        }
    }

    private static final class FailingStore extends ForwardingStore {
        final AtomicBoolean failing = new AtomicBoolean();

        FailingStore(Store delegate) {
            super(delegate);
        }

        @Override
        public void apply(List<Mutation> batch) {
            if (failing.get()) {
                throw new IllegalStateException("disk full");
            }
            super.apply(batch);
        }
    }
}
