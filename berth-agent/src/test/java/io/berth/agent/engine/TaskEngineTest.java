package io.berth.agent.engine;

import static io.berth.agent.AcsFixtures.container;
import static io.berth.agent.AcsFixtures.task;
import static io.berth.agent.AcsFixtures.taskArn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.agent.AcsFixtures;
import io.berth.agent.RecordingReporter;
import io.berth.agent.TestDocker;
import io.berth.agent.docker.ContainerListing;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.AcsVolume;
import io.berth.model.acs.DockerVolumeConfiguration;
import io.berth.model.acs.HostVolume;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.ContainerStateChange;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;

class TaskEngineTest {

    @RegisterExtension
    static final TestDocker DOCKER = TestDocker.forCluster("berth-test");
    private static final String CLUSTER = DOCKER.cluster();

    private final RecordingReporter reporter = new RecordingReporter();
    private TaskEngine engine;

    @BeforeEach
    void startEngine() {
        engine = engine(Checkpoint.inMemory(), reporter);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    private static TaskEngine engine(Checkpoint checkpoint, RecordingReporter reporter) {
        TaskEngine started = new TaskEngine(DOCKER.runtime(), reporter, checkpoint, DOCKER.engineSettings());
        started.start();
        return started;
    }

    private List<ContainerListing> containersOf(String arn) {
        return DOCKER.runtime().listByLabel(EcsLabels.TASK_ARN, arn);
    }

    @Test
    void aTaskRunsWithItsDynamicPortAndStopsWithAnExitCode() throws Exception {
        String arn = taskArn(CLUSTER);
        engine.apply(task(arn, container("web", "mkdir -p /www && echo pong > /www/hello && httpd -f -p 8080 -h /www")
                .port(8080)));

        SubmitTaskStateChangeRequest running = reporter.await(arn, "RUNNING");

        assertThat(running.cluster()).isEqualTo(CLUSTER);
        assertThat(running.reason()).isEmpty();
        ContainerStateChange web = running.containers().getFirst();
        assertThat(web.containerName()).isEqualTo("web");
        assertThat(web.status()).isEqualTo("RUNNING");
        assertThat(web.runtimeId()).isEqualTo(containersOf(arn).getFirst().id());
        NetworkBinding binding = web.networkBindings().getFirst();
        assertThat(binding.containerPort()).isEqualTo(8080);
        assertThat(binding.hostPort()).isPositive();
        assertThat(binding.protocolAsString()).isEqualTo("tcp");
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> assertThat(get("http://127.0.0.1:" + binding.hostPort() + "/hello"))
                        .isEqualTo("pong\n"));

        engine.stopTask(arn);
        SubmitTaskStateChangeRequest stopped = reporter.await(arn, "STOPPED");

        assertThat(stopped.containers()).singleElement().satisfies(container -> {
            assertThat(container.status()).isEqualTo("STOPPED");
            assertThat(container.exitCode()).isIn(137, 143);
        });
        assertThat(stopped.executionStoppedAt()).isNotNull();
        assertThat(reporter.statusesOf(arn)).containsExactly("RUNNING", "STOPPED");
    }

    @Test
    void containersAreNamedAndLabelledLikeTheOfficialAgent() throws Exception {
        String arn = taskArn(CLUSTER);
        engine.apply(task(arn, container("app", "sleep 300")));
        reporter.await(arn, "RUNNING");

        ContainerListing app = containersOf(arn).getFirst();

        assertThat(app.name()).matches("ecs-test-1-app-[0-9a-f]{20}");
        assertThat(app.labels())
                .containsEntry("com.amazonaws.ecs.task-arn", arn)
                .containsEntry("com.amazonaws.ecs.container-name", "app")
                .containsEntry("com.amazonaws.ecs.cluster", CLUSTER)
                .containsEntry("com.amazonaws.ecs.task-definition-family", "test")
                .containsEntry("com.amazonaws.ecs.task-definition-version", "1");
        engine.stopTask(arn);
        reporter.await(arn, "STOPPED");
    }

    @Test
    void anEssentialContainerExitingStopsItsSiblings() {
        String arn = taskArn(CLUSTER);
        apply(task(arn, container("app", "sleep 1; exit 3"), container("sidecar", "sleep 300").notEssential()));

        SubmitTaskStateChangeRequest stopped = reporter.await(arn, "STOPPED");

        assertThat(stopped.reason()).isEqualTo("Essential container in task exited");
        assertThat(stopped.executionStoppedAt()).isNotNull();
        assertThat(reporter.lastOf(arn, "app").exitCode()).isEqualTo(3);
        assertThat(reporter.lastOf(arn, "sidecar").status()).isEqualTo("STOPPED");
        assertThat(containersOf(arn)).allSatisfy(c -> assertThat(c.state()).isEqualTo("exited"));
    }

    @Test
    void aContainerStartsOnlyOnceItsDependenciesCompletedOrSucceeded() {
        String arn = taskArn(CLUSTER);
        apply(task(arn, List.of(new AcsVolume("scratch", "host", new HostVolume(null), null)),
                container("app", "cat /data/prepared /data/checked && sleep 300")
                        .mount("scratch", "/data")
                        .dependsOn("prepare", "SUCCESS")
                        .dependsOn("check", "COMPLETE"),
                container("prepare", "sleep 1; echo yes > /data/prepared").notEssential().mount("scratch", "/data"),
                container("check", "echo no > /data/checked; exit 1").notEssential().mount("scratch", "/data")));

        reporter.await(arn, "RUNNING");

        TaskRecord record = engine.task(arn).orElseThrow();
        assertThat(record.container("prepare").exitCode()).isZero();
        assertThat(record.container("check").exitCode()).isEqualTo(1);
        assertThat(record.container("app").knownStatus()).isEqualTo(Status.RUNNING);
        assertThat(record.container("app").startedAt()).isAfterOrEqualTo(record.container("prepare").finishedAt());
        engine.stopTask(arn);
        reporter.await(arn, "STOPPED");
    }

    @Test
    void aSuccessDependencyThatFailsKeepsItsDependentFromStarting() {
        String arn = taskArn(CLUSTER);
        apply(task(arn, container("app", "sleep 300").dependsOn("check", "SUCCESS"),
                container("check", "exit 2").notEssential()));

        SubmitTaskStateChangeRequest stopped = reporter.await(arn, "STOPPED");

        assertThat(stopped.reason()).isEqualTo("Essential container in task exited");
        ContainerStateChange app = reporter.lastOf(arn, "app");
        assertThat(app.runtimeId()).isNull();
        assertThat(app.reason()).contains("DependencyConditionFailure").contains("check");
        assertThat(reporter.statusesOf(arn)).containsExactly("STOPPED");
    }

    @Test
    void linksLetOneContainerReachAnotherByName() {
        String arn = taskArn(CLUSTER);
        apply(task(arn,
                container("web", "for i in $(seq 50); do wget -q -O - http://db:8080/hello && exit 0; sleep 0.2; done;"
                        + " exit 1").link("db"),
                container("db", "mkdir -p /www && echo pong > /www/hello && httpd -f -p 8080 -h /www").notEssential()));

        reporter.await(arn, "STOPPED");

        assertThat(reporter.lastOf(arn, "web").exitCode()).isZero();
    }

    @Test
    void dockerConfigSettingsReachTheContainer() {
        String arn = taskArn(CLUSTER);
        apply(task(arn, container("app", "test \"$(pwd)\" = /work && test \"$(hostname)\" = berth-app"
                        + " && test \"$FROM_CONFIG\" = yes")
                .port(8080)
                .env("FROM_CONFIG", "no")
                .config("{\"WorkingDir\":\"/work\",\"Hostname\":\"berth-app\",\"Env\":[\"FROM_CONFIG=yes\"]}")
                .hostConfig("{\"NetworkMode\":\"none\",\"ReadonlyRootfs\":false}")));

        reporter.await(arn, "STOPPED");

        assertThat(reporter.lastOf(arn, "app").exitCode()).isZero();
    }

    @Test
    void aHostVolumeIsBindMounted(@TempDir Path directory) throws IOException {
        Files.writeString(directory.resolve("in.txt"), "from the host");
        directory.toFile().setWritable(true, false);
        String arn = taskArn(CLUSTER);
        apply(task(arn, List.of(new AcsVolume("shared", null, new HostVolume(directory.toString()), null)),
                container("app", "cat /data/in.txt > /data/out.txt").mount("shared", "/data")));

        reporter.await(arn, "STOPPED");

        assertThat(reporter.lastOf(arn, "app").exitCode()).isZero();
        assertThat(Files.readString(directory.resolve("out.txt"))).isEqualTo("from the host");
    }

    @Test
    void aContainerWaitsForItsDependencyToBeHealthy() {
        String arn = taskArn(CLUSTER);
        apply(task(arn,
                container("app", "sleep 300").dependsOn("db", "HEALTHY"),
                container("db", "sleep 1; touch /ready; sleep 300").notEssential()
                        .config("{\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"test -f /ready\"],"
                                + "\"Interval\":200000000,\"Retries\":100}}")));

        reporter.await(arn, "RUNNING");

        TaskRecord record = engine.task(arn).orElseThrow();
        assertThat(record.container("db").health()).isEqualTo("healthy");
        assertThat(record.container("app").startedAt()).isAfter(record.container("db").startedAt().plusMillis(900));
        engine.stopTask(arn);
        reporter.await(arn, "STOPPED");
    }

    @Test
    void dockerVolumesAreTaskScopedOrSharedBetweenTasks() {
        String shared = "berth-test-shared-" + UUID.randomUUID().toString().substring(0, 8);
        List<AcsVolume> volumes = List.of(
                new AcsVolume("scratch", "docker", null, new DockerVolumeConfiguration("task", null, "local", null,
                        null)),
                new AcsVolume(shared, "docker", null, new DockerVolumeConfiguration("shared", true, "local", null,
                        Map.of(EcsLabels.CLUSTER, CLUSTER))));
        String writer = taskArn(CLUSTER);
        apply(task(writer, volumes, container("app", "echo hello > /shared/greeting && touch /scratch/x")
                .mount("scratch", "/scratch").mount(shared, "/shared")));
        reporter.await(writer, "STOPPED");
        String reader = taskArn(CLUSTER);

        apply(task(reader, volumes, container("app", "grep hello /shared/greeting && test ! -f /scratch/x")
                .mount("scratch", "/scratch").mount(shared, "/shared")));

        reporter.await(reader, "STOPPED");
        assertThat(reporter.lastOf(writer, "app").exitCode()).isZero();
        assertThat(reporter.lastOf(reader, "app").exitCode()).isZero();
        assertThat(DOCKER.runtime().volumesByLabel(EcsLabels.TASK_ARN, writer)).singleElement()
                .satisfies(name -> assertThat(name).startsWith("ecs-test-1-scratch-"));
        assertThat(DOCKER.runtime().volumeExists(shared)).isTrue();
    }

    @Test
    void volumesFromMountsAnotherContainersVolumes() {
        String arn = taskArn(CLUSTER);
        apply(task(arn, List.of(new AcsVolume("data", "host", new HostVolume(null), null)),
                container("reader", "for i in $(seq 50); do test -f /vol/f && exit 0; sleep 0.1; done; exit 1")
                        .volumesFrom("data"),
                container("data", "echo hi > /vol/f; sleep 300").notEssential().mount("data", "/vol")));

        reporter.await(arn, "STOPPED");

        assertThat(reporter.lastOf(arn, "reader").exitCode()).isZero();
    }

    @Test
    void byDefaultAFailedPullFallsBackToTheCachedImageAndIsTimed() throws Exception {
        TaskEngine pulling = engineWith(ImagePullBehavior.DEFAULT);
        String arn = taskArn(CLUSTER);
        try {
            pulling.apply(task(arn, container("app", "sleep 300")));

            SubmitTaskStateChangeRequest running = reporter.await(arn, "RUNNING");

            assertThat(running.pullStartedAt()).isNotNull();
            assertThat(running.pullStoppedAt()).isAfterOrEqualTo(running.pullStartedAt());
            pulling.stopTask(arn);
            reporter.await(arn, "STOPPED");
        } finally {
            pulling.close();
        }
    }

    @Test
    void whenPullsAreRequiredAFailedPullStopsTheTask() throws Exception {
        TaskEngine pulling = engineWith(ImagePullBehavior.ALWAYS);
        String arn = taskArn(CLUSTER);
        try {
            pulling.apply(task(arn, container("app", "sleep 300")));

            SubmitTaskStateChangeRequest stopped = reporter.await(arn, "STOPPED");

            assertThat(stopped.reason()).startsWith("CannotPullContainerError: ");
            assertThat(reporter.lastOf(arn, "app").reason()).startsWith("CannotPullContainerError: ");
            assertThat(containersOf(arn)).isEmpty();
        } finally {
            pulling.close();
        }
    }

    private TaskEngine engineWith(ImagePullBehavior behavior) {
        TaskEngine started = new TaskEngine(DOCKER.runtime(), reporter, Checkpoint.inMemory(),
                DOCKER.engineSettings().withImagePullBehavior(behavior));
        started.start();
        return started;
    }

    @Test
    void aFailedReportIsRetriedAndThenSentOnce() throws Exception {
        AtomicInteger failures = new AtomicInteger(2);
        RecordingReporter delivered = new RecordingReporter();
        StateReporter flaky = change -> {
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("control plane unavailable");
            }
            delivered.submit(change);
        };
        TaskEngine retrying = new TaskEngine(DOCKER.runtime(), flaky, Checkpoint.inMemory(), DOCKER.engineSettings());
        retrying.start();
        String arn = taskArn(CLUSTER);
        try {
            retrying.apply(task(arn, container("app", "sleep 300")));

            delivered.await(arn, "RUNNING");
            retrying.stopTask(arn);
            delivered.await(arn, "STOPPED");

            assertThat(delivered.statusesOf(arn)).containsExactly("RUNNING", "STOPPED");
        } finally {
            retrying.close();
        }
    }

    @Test
    void aRestartedEngineReadoptsItsRunningContainers(@TempDir Path directory) {
        Path file = directory.resolve("agent.json");
        RecordingReporter firstReporter = new RecordingReporter();
        TaskEngine first = engine(Checkpoint.at(file), firstReporter);
        String arn = taskArn(CLUSTER);
        try {
            first.apply(task(arn, container("app", "sleep 300")));
            firstReporter.await(arn, "RUNNING");
        } catch (InvalidTaskException e) {
            throw new AssertionError(e);
        } finally {
            first.close();
        }
        String dockerId = containersOf(arn).getFirst().id();

        RecordingReporter secondReporter = new RecordingReporter();
        TaskEngine second = engine(Checkpoint.at(file), secondReporter);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> second.task(arn)
                    .map(t -> t.knownStatus() == Status.RUNNING).orElse(false));

            assertThat(containersOf(arn)).singleElement().satisfies(c -> assertThat(c.id()).isEqualTo(dockerId));
            assertThat(second.task(arn).orElseThrow().container("app").dockerId()).isEqualTo(dockerId);
            assertThat(secondReporter.statusesOf(arn)).isEmpty();

            second.stopTask(arn);
            secondReporter.await(arn, "STOPPED");
            assertThat(secondReporter.statusesOf(arn)).containsExactly("STOPPED");
        } finally {
            second.close();
        }
    }

    @Test
    void aTaskThatCannotBeSetUpIsReportedStoppedWithTheReason() {
        String arn = taskArn(CLUSTER);
        apply(task(arn, container("app", "true").mount("missing", "/data")));

        SubmitTaskStateChangeRequest stopped = reporter.await(arn, "STOPPED");

        assertThat(stopped.reason()).contains("unknown volume missing");
        assertThat(containersOf(arn)).isEmpty();
    }

    @Test
    void containersThatWaitForEachOtherStopTheTask() {
        String arn = taskArn(CLUSTER);
        apply(task(arn, container("a", "true").dependsOn("b", "START"), container("b", "true").link("a")));

        SubmitTaskStateChangeRequest stopped = reporter.await(arn, "STOPPED");

        assertThat(stopped.reason()).startsWith("Circular dependency");
        assertThat(containersOf(arn)).isEmpty();
    }

    @Test
    void aTaskWithAnUnknownDesiredStatusIsRefusedAndReportedStopped() {
        String arn = taskArn(CLUSTER);
        AcsTask pending = AcsFixtures.withDesiredStatus(task(arn, container("app", "true")), "PENDING");

        assertThatThrownBy(() -> engine.apply(pending)).isInstanceOf(InvalidTaskException.class)
                .hasMessageContaining("Unrecognized TaskStatus");
        SubmitTaskStateChangeRequest stopped = reporter.await(arn, "STOPPED");
        assertThat(stopped.reason()).isEqualTo("UnrecogniedTaskError: Error loading task - Unrecognized TaskStatus");
        assertThat(stopped.containers()).isEmpty();
        assertThat(engine.task(arn)).isEmpty();
    }

    @Test
    void aTaskSentAgainWithDesiredStatusStoppedStops() {
        String arn = taskArn(CLUSTER);
        AcsTask task = task(arn, container("app", "sleep 300"));
        apply(task);
        reporter.await(arn, "RUNNING");

        apply(task);
        apply(AcsFixtures.withDesiredStatus(task, "STOPPED"));

        reporter.await(arn, "STOPPED");
        assertThat(containersOf(arn)).hasSize(1);
        assertThat(reporter.statusesOf(arn)).containsExactly("RUNNING", "STOPPED");
    }

    @Test
    void stoppedTasksAreCleanedUpAfterTheWait() {
        TaskEngine quick = new TaskEngine(DOCKER.runtime(), reporter, Checkpoint.inMemory(), DOCKER.engineSettings()
                .withTaskCleanupWait(Duration.ZERO));
        String arn = taskArn(CLUSTER);
        try {
            quick.apply(task(arn, List.of(new AcsVolume("scratch", "host", new HostVolume(null), null)),
                    container("app", "true").mount("scratch", "/data")));
            reporter.await(arn, "STOPPED");

            await().atMost(Duration.ofSeconds(10)).until(() -> quick.task(arn).isEmpty());
            assertThat(containersOf(arn)).isEmpty();
            assertThat(DOCKER.runtime().volumesByLabel(EcsLabels.TASK_ARN, arn)).isEmpty();
        } catch (InvalidTaskException e) {
            throw new AssertionError(e);
        } finally {
            quick.close();
        }
    }

    private void apply(AcsTask task) {
        try {
            engine.apply(task);
        } catch (InvalidTaskException e) {
            throw new AssertionError(e);
        }
    }

    private static String get(String url) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        }
    }
}
