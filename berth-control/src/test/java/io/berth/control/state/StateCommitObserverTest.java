package io.berth.control.state;

import static io.berth.control.state.StateTest.HOME;
import static io.berth.control.state.StateTest.KINDS;
import static io.berth.control.state.StateTest.NOTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.store.Document;
import io.berth.control.store.MemoryStore;
import io.berth.control.store.Mutation;
import io.berth.control.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the state tells of its commits: one call per durable batch, never for a batch the store refused. */
class StateCommitObserverTest {

    record Told(int writes, long nanos) {
    }

    private final List<Told> told = new CopyOnWriteArrayList<>();
    private final List<State> opened = new ArrayList<>();

    @AfterEach
    void closeStates() {
        opened.forEach(State::close);
    }

    private State open(Store store, CommitObserver observer) {
        State state = new State(store, KINDS, observer);
        opened.add(state);
        return state;
    }

    private static void note(State state, String id) {
        state.write(HOME, tx -> {
            tx.put(NOTE, id, new StateTest.Note(id, 1));
            return null;
        });
    }

    @Test
    void everyDurableBatchIsToldWithHowManyWritesItHeld() {
        State state = open(new MemoryStore(), (writes, nanos) -> told.add(new Told(writes, nanos)));

        note(state, "a");
        note(state, "b");

        // A batch is told before its writers return: two batches of one write each.
        assertThat(told).hasSize(2).allSatisfy(t -> {
            assertThat(t.writes()).isEqualTo(1);
            assertThat(t.nanos()).isNotNegative();
        });
    }

    @Test
    void aWriteThatChangesNothingReachesNoStoreAndIsNotTold() {
        State state = open(new MemoryStore(), (writes, nanos) -> told.add(new Told(writes, nanos)));

        state.write(HOME, tx -> tx.region().get(NOTE, "absent"));

        assertThat(told).isEmpty();
    }

    @Test
    void aBatchTheStoreRefusedIsNotTold() {
        State state = open(new RefusingStore(), (writes, nanos) -> told.add(new Told(writes, nanos)));

        assertThatThrownBy(() -> note(state, "lost")).isInstanceOf(IllegalStateException.class);

        assertThat(told).isEmpty();
    }

    @Test
    void anObserverThatThrowsFailsNoWrite() {
        State state = open(new MemoryStore(), (writes, nanos) -> {
            throw new IllegalStateException("broken meter");
        });

        note(state, "a");
        note(state, "b");

        assertThat(state.region(HOME).all(NOTE)).hasSize(2);
    }

    /** A store whose disk is full. */
    private static final class RefusingStore implements Store {

        @Override
        public void apply(List<Mutation> batch) {
            throw new IllegalStateException("disk full");
        }

        @Override
        public void loadAll(Consumer<Document> sink) {
        }

        @Override
        public List<Document> list(String kind, String scope) {
            return List.of();
        }

        @Override
        public void close() {
        }
    }
}
