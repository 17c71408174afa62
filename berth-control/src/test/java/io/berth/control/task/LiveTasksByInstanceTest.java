package io.berth.control.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.Scope;
import io.berth.control.state.State;
import io.berth.control.store.HeldStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Task;

/** The live tasks of an instance as a reader outside a write sees them: only what the store holds. */
class LiveTasksByInstanceTest {

    private static final Scope SCOPE = new Scope("aws", "123456789012", "us-east-1");
    private static final String INSTANCE = SCOPE.arn("container-instance/prod/i1");

    private final HeldStore store = new HeldStore();
    private final State state = new State(store, List.of(Tasks.KIND));

    @AfterEach
    void close() {
        store.release();
        state.close();
    }

    @Test
    void aTaskPlacedOrToldToStopIsListedAsTheStoreHoldsItUntilTheCommitIsDurable() throws Exception {
        put(task("kept", "RUNNING"));
        put(task("stopping", "RUNNING"));
        store.hold();

        CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> state.write(SCOPE, tx -> {
            tx.put(Tasks.KIND, "prod/placed", task("placed", "RUNNING"));
            tx.put(Tasks.KIND, "prod/stopping", task("stopping", Tasks.STOPPED));
            return null;
        }));
        store.awaitApply();

        assertThat(listed()).containsExactly("kept:RUNNING", "stopping:RUNNING");
        List<String> seenByTheNextWriter = state.write(SCOPE, tx -> ids(LiveTasksByInstance.of(tx.region(), INSTANCE)));
        assertThat(seenByTheNextWriter).containsExactly("kept:RUNNING", "placed:RUNNING", "stopping:STOPPED");
        store.release();
        commit.get(10, TimeUnit.SECONDS);
        assertThat(listed()).containsExactly("kept:RUNNING", "placed:RUNNING", "stopping:STOPPED");
    }

    private List<String> listed() {
        return ids(LiveTasksByInstance.of(state.region(SCOPE), INSTANCE));
    }

    private static List<String> ids(java.util.Collection<Task> tasks) {
        return tasks.stream().map(task -> task.group() + ":" + task.desiredStatus()).toList();
    }

    private void put(Task task) {
        state.write(SCOPE, tx -> {
            tx.put(Tasks.KIND, "prod/" + task.group(), task);
            return null;
        });
    }

    /** A running task on the instance, named by its group. */
    private static Task task(String name, String desiredStatus) {
        return Task.builder().taskArn(SCOPE.arn("task/prod/" + name)).group(name).containerInstanceArn(INSTANCE)
                .lastStatus("RUNNING").desiredStatus(desiredStatus).build();
    }
}
