package io.berth.agent.engine;

import static io.berth.agent.AcsFixtures.container;
import static io.berth.agent.AcsFixtures.task;
import static io.berth.agent.AcsFixtures.taskArn;
import static io.berth.agent.AcsFixtures.withSize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.agent.RecordingReporter;
import io.berth.agent.TestDocker;
import io.berth.agent.docker.DaemonCgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Task-level cpu and memory on the local Docker daemon, read back from the host's cgroup file system. */
class TaskSizeTest {

    @RegisterExtension
    static final TestDocker DOCKER = TestDocker.forCluster("berth-size");
    private static final String CLUSTER = DOCKER.cluster();
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    private static final long MIB = 1024L * 1024;
    private static DaemonCgroups daemon;

    private final RecordingReporter reporter = new RecordingReporter();
    private TaskEngine engine;

    @BeforeAll
    static void readCgroups() {
        daemon = DOCKER.runtime().cgroups();
        Assumptions.assumeTrue("cgroupfs".equals(daemon.driver()),
                "The daemon's cgroup driver is " + daemon.driver() + "; task cgroups need cgroupfs");
    }

    @BeforeEach
    void startEngine() {
        engine = new TaskEngine(DOCKER.runtime(), reporter, Checkpoint.inMemory(), DOCKER.engineSettings());
        engine.start();
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    private static String taskId(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    private String dockerIdOf(String arn, String container) {
        return engine.task(arn).orElseThrow().container(container).dockerId();
    }

    /** A cgroup's CFS quota in microseconds, -1 for none. */
    private static long quota(String cgroup) throws IOException {
        if (daemon.version() == 2) {
            String max = Files.readString(CGROUPS.resolve(cgroup.substring(1)).resolve("cpu.max")).split(" ")[0];
            return max.equals("max") ? -1 : Long.parseLong(max);
        }
        return Long.parseLong(Files.readString(CGROUPS.resolve("cpu" + cgroup).resolve("cpu.cfs_quota_us")).trim());
    }

    private static long memoryLimit(String cgroup) throws IOException {
        String file = daemon.version() == 2 ? cgroup.substring(1) + "/memory.max" : "memory" + cgroup
                + "/memory.limit_in_bytes";
        return Long.parseLong(Files.readString(CGROUPS.resolve(file)).trim());
    }

    private static long softMemoryLimit(String cgroup) throws IOException {
        String file = daemon.version() == 2 ? cgroup.substring(1) + "/memory.low" : "memory" + cgroup
                + "/memory.soft_limit_in_bytes";
        return Long.parseLong(Files.readString(CGROUPS.resolve(file)).trim());
    }

    private static Path cpuCgroup(String cgroup) {
        return daemon.version() == 2 ? CGROUPS.resolve(cgroup.substring(1)) : CGROUPS.resolve("cpu" + cgroup);
    }

    @Test
    void aSizedTasksContainersRunUnderItsCgroupHoldingItsQuotaAndMemoryLimit() throws Exception {
        String arn = taskArn(CLUSTER);
        String taskCgroup = "/ecs/" + taskId(arn);
        engine.apply(withSize(task(arn, container("app", "sleep 300").memory(64)), 0.25, 128));
        reporter.await(arn, "RUNNING");

        assertThat(quota(taskCgroup)).isEqualTo(25_000);
        assertThat(memoryLimit(taskCgroup)).isEqualTo(128 * MIB);
        String containerCgroup = taskCgroup + "/" + dockerIdOf(arn, "app");
        assertThat(cpuCgroup(containerCgroup)).isDirectory();
        assertThat(quota(containerCgroup)).isEqualTo(-1);
        assertThat(memoryLimit(containerCgroup)).isEqualTo(64 * MIB);

        engine.stopTask(arn);
        reporter.await(arn, "STOPPED");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(cpuCgroup(taskCgroup)).doesNotExist();
            assertThat(CGROUPS.resolve("memory" + taskCgroup)).doesNotExist();
        });
    }

    @Test
    void aTaskWithoutSizeGetsNoTaskCgroupAndItsContainersOnlyTheirOwnLimits() throws Exception {
        String arn = taskArn(CLUSTER);
        engine.apply(task(arn, container("app", "sleep 300").memory(256)
                .hostConfig("{\"MemoryReservation\":" + 64 * MIB + "}")));
        reporter.await(arn, "RUNNING");

        String containerCgroup = "/docker/" + dockerIdOf(arn, "app");
        assertThat(cpuCgroup("/ecs/" + taskId(arn))).doesNotExist();
        assertThat(quota(containerCgroup)).isEqualTo(-1);
        assertThat(memoryLimit(containerCgroup)).isEqualTo(256 * MIB);
        assertThat(softMemoryLimit(containerCgroup)).isEqualTo(64 * MIB);
        engine.stopTask(arn);
        reporter.await(arn, "STOPPED");
    }

    @Test
    void aContainerAllowedMoreMemoryThanItsTaskStopsTheTaskAsTheOfficialAgentDoes() throws Exception {
        String arn = taskArn(CLUSTER);
        engine.apply(withSize(task(arn, container("app", "sleep 300").memory(256)), null, 64));

        var stopped = reporter.await(arn, "STOPPED");

        assertThat(stopped.reason()).isEqualTo("container memory limit(256) greater than task memory limit(64)");
        assertThat(DOCKER.runtime().listByLabel(EcsLabels.TASK_ARN, arn)).isEmpty();
        assertThat(cpuCgroup("/ecs/" + taskId(arn))).doesNotExist();
    }
}
