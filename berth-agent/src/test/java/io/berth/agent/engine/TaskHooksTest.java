package io.berth.agent.engine;

import static io.berth.agent.AcsFixtures.container;
import static io.berth.agent.AcsFixtures.task;
import static io.berth.agent.AcsFixtures.taskArn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.agent.RecordingReporter;
import io.berth.agent.TestDocker;
import io.berth.agent.docker.RegistryAuth;
import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.AcsTask;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TaskHooksTest {

    @RegisterExtension
    static final TestDocker DOCKER = TestDocker.forCluster("berth-hooks");
    private static final String CLUSTER = DOCKER.cluster();

    private final RecordingReporter reporter = new RecordingReporter();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private volatile boolean cleanupHeld;
    private TaskEngine engine;

    @AfterEach
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    /**
     * Hooks that add {@code SECRET_FROM_HOOK} (or fail when the container is named "refused"), label the create body
     * (or refuse it for a container named "unloggable"), hold the cleanup while told to, and note every call.
     */
    private final class Listening implements TaskHooks {
        @Override
        public RegistryAuth registryAuth(AcsTask task, AcsContainer container) {
            if (container.name().equals("unpullable")) {
                throw new IllegalStateException("ResourceInitializationError: unable to pull secrets or registry "
                        + "auth: secret login not found");
            }
            return RegistryAuth.NONE;
        }

        @Override
        public void createBody(AcsTask task, AcsContainer container, ObjectNode body) {
            if (container.name().equals("unloggable")) {
                throw new IllegalArgumentException("unknown log opt 'awslogs-colour' for awslogs log driver");
            }
            ((ObjectNode) body.get("Labels")).put("hooked", "yes");
        }

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

        @Override
        public boolean readyForCleanup(TaskRecord task) {
            if (!heard.contains("cleanup asked")) {
                heard.add("cleanup asked");
            }
            return !cleanupHeld;
        }

        @Override
        public void taskRemoved(TaskRecord task) {
            heard.add("removed " + task.containers().stream().allMatch(c -> c.dockerId() != null));
        }
    }

    private void startEngine() {
        startEngine(Duration.ofHours(3));
    }

    private void startEngine(Duration cleanupWait) {
        engine = new TaskEngine(DOCKER.runtime(), reporter, Checkpoint.inMemory(), DOCKER.engineSettings()
                .withTaskCleanupWait(cleanupWait), new Listening());
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
        assertThat(DOCKER.runtime().listByLabel(EcsLabels.TASK_ARN, arn)).isEmpty();
        assertThat(heard).doesNotContain("started refused true");
    }

    @Test
    void aRegistryAuthHookThatFailsStopsTheTaskBeforeAnythingIsCreated() throws Exception {
        startEngine();
        String arn = taskArn(CLUSTER);

        engine.apply(task(arn, container("unpullable", "sleep 300")));
        var stopped = reporter.await(arn, "STOPPED");

        assertThat(stopped.reason()).isEqualTo("ResourceInitializationError: unable to pull secrets or registry auth: "
                + "secret login not found");
        assertThat(DOCKER.runtime().listByLabel(EcsLabels.TASK_ARN, arn)).isEmpty();
    }

    @Test
    void theCreateBodyHookShapesTheContainerOrFailsItsCreation() throws Exception {
        startEngine();
        String shaped = taskArn(CLUSTER);
        String refused = taskArn(CLUSTER);

        engine.apply(task(shaped, container("app", "true")));
        engine.apply(task(refused, container("unloggable", "true")));
        reporter.await(shaped, "STOPPED");
        var stopped = reporter.await(refused, "STOPPED");

        assertThat(DOCKER.runtime().listByLabel(EcsLabels.TASK_ARN, shaped)).singleElement()
                .satisfies(c -> assertThat(c.labels()).containsEntry("hooked", "yes"));
        assertThat(reporter.lastOf(refused, "unloggable").reason()).isEqualTo(
                "CannotCreateContainerError: unknown log opt 'awslogs-colour' for awslogs log driver");
        assertThat(stopped.reason()).startsWith("CannotCreateContainerError");
    }

    @Test
    void theHooksHoldTheCleanupUntilTheyAreReadyAndHearTheRemoval() throws Exception {
        cleanupHeld = true;
        startEngine(Duration.ZERO);
        String arn = taskArn(CLUSTER);

        engine.apply(task(arn, container("app", "true")));
        reporter.await(arn, "STOPPED");
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("cleanup asked"));

        assertThat(DOCKER.runtime().listByLabel(EcsLabels.TASK_ARN, arn)).hasSize(1);
        assertThat(engine.task(arn)).isPresent();
        cleanupHeld = false;
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.task(arn).isEmpty());
        assertThat(DOCKER.runtime().listByLabel(EcsLabels.TASK_ARN, arn)).isEmpty();
        assertThat(heard).endsWith("removed true");
    }
}
