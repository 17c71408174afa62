package io.berth.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.ControlPlane;
import io.berth.control.Scope;
import io.berth.control.state.State;
import io.berth.control.store.Document;
import io.berth.control.store.Mutation;
import io.berth.control.store.Store;
import io.berth.control.task.Tasks;
import io.berth.server.acs.AcsSessions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.Task;

class MetricsTest {

    private static final Scope HOME = new Scope("aws", "123456789012", "us-east-1");

    private final Metrics metrics = new Metrics();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : opened) {
            resource.close();
        }
        metrics.close();
    }

    private State state() {
        State state = new State(new EmptyStore(), ControlPlane.KINDS, metrics.commits());
        opened.add(state);
        return state;
    }

    private AcsSessions sessions() {
        AcsSessions sessions = new AcsSessions(Clock.systemUTC());
        opened.add(sessions);
        return sessions;
    }

    private static void addTask(State state, String id, String status, LaunchType launchType) {
        state.write(HOME, tx -> {
            tx.put(Tasks.KIND, "c/" + id, Task.builder().taskArn("arn:aws:ecs:us-east-1:123456789012:task/c/" + id)
                    .lastStatus(status).launchType(launchType).build());
            return null;
        });
    }

    @Test
    void aNodeThatLeadsNothingCountsNoTasksAndNoSessions() {
        String text = metrics.scrape();

        assertThat(text).doesNotContain("berth_tasks{").contains("berth_agent_sessions 0");
    }

    @Test
    void tasksAreCountedByStatusWhenScraped() {
        State state = state();
        metrics.lead(state, sessions());
        addTask(state, "a", "RUNNING", LaunchType.EC2);
        addTask(state, "b", "RUNNING", LaunchType.EC2);
        addTask(state, "c", "STOPPED", LaunchType.EC2);

        String text = metrics.scrape();

        assertThat(text).contains("berth_tasks{status=\"RUNNING\"} 2", "berth_tasks{status=\"STOPPED\"} 1",
                "berth_tasks{status=\"PENDING\"} 0");
    }

    @Test
    void everyTaskCreatedIsAPlacementByLaunchType() {
        State state = state();
        metrics.lead(state, sessions());

        addTask(state, "a", "PROVISIONING", LaunchType.EC2);
        addTask(state, "b", "PROVISIONING", LaunchType.FARGATE);
        addTask(state, "a", "RUNNING", LaunchType.EC2);

        String text = metrics.scrape();
        assertThat(text).contains("berth_placements_total{launch_type=\"EC2\"} 1",
                "berth_placements_total{launch_type=\"FARGATE\"} 1");
    }

    @Test
    void storeCommitsAreTimedAndSized() {
        State state = state();

        addTask(state, "a", "RUNNING", LaunchType.EC2);

        String text = metrics.scrape();
        assertThat(text).contains("berth_store_commit_seconds_count 1", "berth_store_commit_writes_count 1",
                "berth_store_commit_writes_sum 1");
    }

    @Test
    void aTermThatEndsIsNoLongerCounted() throws Exception {
        State state = state();
        AutoCloseable term = metrics.lead(state, sessions());
        addTask(state, "a", "RUNNING", LaunchType.EC2);

        term.close();

        assertThat(metrics.scrape()).doesNotContain("berth_tasks{");
    }

    /** A store with nothing in it that keeps nothing. */
    private static final class EmptyStore implements Store {

        @Override
        public void apply(List<Mutation> batch) {
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
