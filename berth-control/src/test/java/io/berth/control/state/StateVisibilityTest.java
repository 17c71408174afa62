package io.berth.control.state;

import static io.berth.control.state.StateTest.HOME;
import static io.berth.control.state.StateTest.KINDS;
import static io.berth.control.state.StateTest.NOTE;
import static io.berth.control.state.StateTest.awaitInMemory;
import static io.berth.control.state.StateTest.putNote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.state.StateTest.Note;
import io.berth.control.store.HeldStore;
import io.berth.control.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When readers see a write: the scope's next writer at once, every other reader only once the store's commit is
 * durable, and nobody ever when it fails.
 */
class StateVisibilityTest {

    private final List<HeldStore> held = new ArrayList<>();
    private final List<State> opened = new ArrayList<>();
    private final ExecutorService background = Executors.newCachedThreadPool();

    @AfterEach
    void closeStates() {
        // Held commits are let through, so that a failed test does not leave its state unable to close.
        held.forEach(HeldStore::release);
        opened.forEach(State::close);
        background.shutdownNow();
    }

    private State open(Store store) {
        State state = new State(store, KINDS);
        opened.add(state);
        return state;
    }

    private HeldStore held() {
        HeldStore store = new HeldStore();
        held.add(store);
        return store;
    }

    private Future<?> background(Runnable work) {
        return background.submit(work);
    }

    @Test
    void aReaderSeesAPutAReplaceAndADeleteOnlyOnceTheStoreHoldsThem() throws Exception {
        HeldStore store = held();
        State state = open(store);
        seed(state);
        store.hold();

        Future<?> write = background(() -> changeAll(state));
        store.awaitApply();

        assertThat(readerSees(state)).as("while the store commits").isEqualTo(SEEDED);
        List<Note> nextWriterSees = state.write(HOME, tx -> List.copyOf(tx.region().all(NOTE)));
        assertThat(nextWriterSees).isEqualTo(CHANGED);
        store.release();
        write.get(10, TimeUnit.SECONDS);
        assertThat(readerSees(state)).isEqualTo(CHANGED);
    }

    @Test
    void aFailedCommitLeavesEveryReaderTheValuesBefore() throws Exception {
        HeldStore store = held();
        State state = open(store);
        seed(state);
        store.hold();

        Future<?> write = background(() -> changeAll(state));
        store.awaitApply();
        store.fail();
        store.release();

        assertThatThrownBy(() -> write.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("disk full");
        assertThat(readerSees(state)).isEqualTo(SEEDED);
        assertThat(open(store.memory).region(HOME).all(NOTE)).containsExactlyElementsOf(SEEDED);
    }

    @Test
    void aWriteWhileAnotherCommitsBuildsOnItAndBothBecomeVisibleOnceDurable() throws Exception {
        HeldStore store = held();
        State state = open(store);
        putNote(state, "counter", 1);
        store.hold();

        Future<?> first = background(() -> increment(state));
        store.awaitApply();
        Future<?> second = background(() -> increment(state));
        awaitInMemory(state, "counter", 3);

        assertThat(state.region(HOME).get(NOTE, "counter")).contains(new Note("counter", 1));
        store.release();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        assertThat(state.region(HOME).get(NOTE, "counter")).contains(new Note("counter", 3));
        assertThat(open(store.memory).region(HOME).get(NOTE, "counter")).contains(new Note("counter", 3));
    }

    @Test
    void aWriteBuiltOnAFailedCommitFailsTooAndChangesNothingReadable() throws Exception {
        HeldStore store = held();
        State state = open(store);
        putNote(state, "counter", 1);
        store.hold();

        Future<?> first = background(() -> increment(state));
        store.awaitApply();
        Future<?> second = background(() -> increment(state));
        awaitInMemory(state, "counter", 3);
        store.fail();
        store.release();

        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("disk full");
        assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(store.applies).as("the second never reached the store").hasValue(2);
        assertThat(state.region(HOME).get(NOTE, "counter")).contains(new Note("counter", 1));
        assertThat(state.region(HOME).all(NOTE)).containsExactly(new Note("counter", 1));
    }

    @Test
    void listenersRunOnceTheChangeIsDurableAndVisibleAndNeverForAFailedCommit() {
        HeldStore store = held();
        State state = open(store);
        List<Object> seenByListener = new CopyOnWriteArrayList<>();
        state.onCommit(changes -> seenByListener.add(state.region(HOME).get(NOTE, changes.getFirst().id())));

        putNote(state, "a", 1);
        store.fail();
        assertThatThrownBy(() -> putNote(state, "b", 1)).isInstanceOf(IllegalStateException.class);

        assertThat(seenByListener).containsExactly(java.util.Optional.of(new Note("a", 1)));
    }

    private static final List<Note> SEEDED = List.of(new Note("removed", 1), new Note("replaced", 1));
    private static final List<Note> CHANGED = List.of(new Note("added", 1), new Note("replaced", 2));

    private static void seed(State state) {
        state.write(HOME, tx -> {
            tx.put(NOTE, "n/replaced", new Note("replaced", 1));
            tx.put(NOTE, "n/removed", new Note("removed", 1));
            return null;
        });
    }

    /** Adds a note, replaces one and removes one, in one write. */
    private static void changeAll(State state) {
        state.write(HOME, tx -> {
            tx.put(NOTE, "n/added", new Note("added", 1));
            tx.put(NOTE, "n/replaced", new Note("replaced", 2));
            tx.delete(NOTE, "n/removed");
            return null;
        });
    }

    private static void increment(State state) {
        state.write(HOME, tx -> {
            int count = tx.get(NOTE, "counter").orElseThrow().version();
            tx.put(NOTE, "counter", new Note("counter", count + 1));
            return null;
        });
    }

    /** The notes a reader outside any write sees, checked to agree across every way of reading them. */
    private static List<Note> readerSees(State state) {
        Region region = state.region(HOME);
        List<Note> all = List.copyOf(region.all(NOTE));
        assertThat(region.all(NOTE)).hasSize(all.size());
        assertThat(region.withPrefix(NOTE, "n/")).containsExactlyElementsOf(all);
        assertThat(region.withPrefix(NOTE, "n/")).hasSize(all.size());
        for (String id : List.of("n/added", "n/replaced", "n/removed")) {
            assertThat(region.get(NOTE, id)).isEqualTo(all.stream().filter(n -> id.endsWith(n.text())).findFirst());
        }
        return all;
    }

    @Test
    void aClosedStateRefusesWritesAsUnavailableAndChangesNothing() {
        io.berth.control.store.MemoryStore store = new io.berth.control.store.MemoryStore();
        State state = new State(store, KINDS);
        state.write(HOME, tx -> {
            tx.put(NOTE, "kept", new Note("kept", 1));
            return null;
        });

        state.close();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> state.write(HOME, tx -> {
            tx.put(NOTE, "kept", new Note("changed", 2));
            return null;
        })).isInstanceOfSatisfying(io.berth.model.EcsException.class, e -> {
            assertThat(e.code()).isEqualTo("ServiceUnavailableException");
            assertThat(e.httpStatus()).isEqualTo(503);
        });
        assertThat(state.region(HOME).get(NOTE, "kept")).contains(new Note("kept", 1));
        assertThat(store.list(NOTE.name(), HOME.key())).hasSize(1);
    }
}
