package io.berth.agent.engine;

import static io.berth.agent.AcsFixtures.container;
import static io.berth.agent.AcsFixtures.task;
import static io.berth.agent.AcsFixtures.taskArn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.agent.RecordingReporter;
import io.berth.agent.TestImages;
import io.berth.agent.docker.DockerRuntime;
import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.AcsTask;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TaskHooksTest {

    private static final String CLUSTER = "berth-hooks-" + UUID.randomUUID().toString().substring(0, 8);
    private static DockerRuntime docker;

    private final RecordingReporter reporter = new RecordingReporter();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private TaskEngine engine;

    @BeforeAll
    static void connect() {
        docker = TestImages.dockerOrSkip();
    }

    @AfterAll
    static void removeEverythingCreated() {
        if (docker != null) {
            TestImages.removeLabelled(docker, EcsLabels.CLUSTER, CLUSTER);
            docker.close();
        }
    }

    @AfterEach
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    /** Hooks that add {@code SECRET_FROM_HOOK} (or fail when the container is named "refused") and note every call. */
    private final class Listening implements TaskHooks {
        @Override
        public Map<String, String> environment(AcsTask task, AcsContainer container, Map<String, String> environment) {
            if (container.name().equals("refused")) {
                throw new IllegalStateException("ResourceInitializationError: unable to pull secrets or registry "
                        + "auth: parameter /app/token not found");
            }
            Map<String, String> extended = new LinkedHashMap<>(environment);
            extended.put("SECRET_FROM_HOOK", "s3cr3t");
            return extended;
        }

        @Override
        public void containerStarted(AcsTask task, ContainerRecord container) {
            heard.add("started " + container.name() + " " + (container.dockerId() != null));
        }

        @Override
        public void taskStopped(TaskRecord task) {
            heard.add("stopped " + task.containers().stream().allMatch(c -> c.knownStatus() == Status.STOPPED));
        }
    }

    private void startEngine() {
        engine = new TaskEngine(docker, reporter, Checkpoint.inMemory(), EngineSettings.defaults(CLUSTER)
                .withImagePullBehavior(ImagePullBehavior.PREFER_CACHED).withPollInterval(Duration.ofMillis(200)),
                new Listening());
        engine.start();
    }

    @Test
    void theHooksEnvironmentReachesTheContainerAndTheyHearItStartAndTheTaskStop() throws Exception {
        startEngine();
        String arn = taskArn(CLUSTER);

        engine.apply(task(arn, container("app", "test \"$SECRET_FROM_HOOK\" = s3cr3t && test -n \"$FROM_TASK\"")
                .env("FROM_TASK", "yes")));
        reporter.await(arn, "STOPPED");

        assertThat(reporter.lastOf(arn, "app").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("stopped true"));
        assertThat(heard).containsExactly("started app true", "stopped true");
    }

    @Test
    void anEnvironmentHookThatFailsStopsTheTaskWithItsWords() throws Exception {
        startEngine();
        String arn = taskArn(CLUSTER);

        engine.apply(task(arn, container("refused", "sleep 300")));
        var stopped = reporter.await(arn, "STOPPED");

        assertThat(stopped.reason()).isEqualTo("ResourceInitializationError: unable to pull secrets or registry auth: "
                + "parameter /app/token not found");
        assertThat(docker.listByLabel(EcsLabels.TASK_ARN, arn)).isEmpty();
        assertThat(heard).doesNotContain("started refused true");
    }
}
