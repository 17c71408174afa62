package io.berth.agent.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.agent.docker.DaemonCgroups;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cgroup files written, against a directory standing in for /sys/fs/cgroup. */
class TaskCgroupsTest {

    @TempDir
    Path root;

    private TaskCgroups cgroups(String driver, int version) {
        return new TaskCgroups(new DaemonCgroups(driver, version), root);
    }

    private String read(String path) throws Exception {
        return Files.readString(root.resolve(path));
    }

    @Test
    void onCgroupV1TheTaskGetsAQuotaOfItsVcpusTimesThePeriodAndAMemoryLimit() throws Exception {
        var parent = cgroups("cgroupfs", 1).create("t1", new TaskSize(20 / 1024.0, 512));

        assertThat(parent).contains("/ecs/t1");
        assertThat(read("cpu/ecs/t1/cpu.cfs_period_us")).isEqualTo("100000");
        assertThat(read("cpu/ecs/t1/cpu.cfs_quota_us")).isEqualTo("1953");
        assertThat(read("memory/ecs/t1/memory.limit_in_bytes")).isEqualTo(Long.toString(512L * 1024 * 1024));
    }

    @Test
    void onCgroupV2TheControllersAreDelegatedAndCpuMaxAndMemoryMaxSet() throws Exception {
        var parent = cgroups("cgroupfs", 2).create("t2", new TaskSize(0.5, 256));

        assertThat(parent).contains("/ecs/t2");
        assertThat(read("cgroup.subtree_control")).isEqualTo("+cpu +memory");
        assertThat(read("ecs/cgroup.subtree_control")).isEqualTo("+cpu +memory");
        assertThat(read("ecs/t2/cpu.max")).isEqualTo("50000 100000");
        assertThat(read("ecs/t2/memory.max")).isEqualTo(Long.toString(256L * 1024 * 1024));
    }

    @Test
    void aSizeOfCpuAloneLimitsCpuAlone() {
        cgroups("cgroupfs", 1).create("t3", new TaskSize(1.0, null));

        assertThat(root.resolve("cpu/ecs/t3/cpu.cfs_quota_us")).hasContent("100000");
        assertThat(root.resolve("memory/ecs/t3")).doesNotExist();
    }

    @Test
    void aQuotaBelowTheKernelsMinimumIsRaisedToIt() throws Exception {
        cgroups("cgroupfs", 1).create("t4", new TaskSize(1 / 1024.0, null));

        assertThat(read("cpu/ecs/t4/cpu.cfs_quota_us")).isEqualTo("1000");
    }

    @Test
    void aTaskWithoutSizeGetsNoCgroup() throws Exception {
        assertThat(cgroups("cgroupfs", 1).create("t5", new TaskSize(null, 0))).isEmpty();

        try (var entries = Files.list(root)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void theSystemdDriverTakesNoTaskCgroupFromTheAgent() throws Exception {
        assertThat(cgroups("systemd", 2).create("t6", new TaskSize(1.0, 512))).isEmpty();

        try (var entries = Files.list(root)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void aCgroupFileSystemThatCannotBeWrittenFailsWithTheTaskNamed() throws Exception {
        Path notADirectory = Files.writeString(root.resolve("file"), "x");
        TaskCgroups broken = new TaskCgroups(new DaemonCgroups("cgroupfs", 1), notADirectory);

        assertThatThrownBy(() -> broken.create("t7", new TaskSize(1.0, 512)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("task t7");
    }

    @Test
    void removingACgroupThatIsNotThereSucceeds() {
        assertThat(cgroups("cgroupfs", 1).remove("never-made")).isTrue();
    }

    @Test
    void aCgroupThatCannotBeRemovedYetIsSaidSo() throws Exception {
        Files.createDirectories(root.resolve("cpu/ecs/t8/container"));

        assertThat(cgroups("cgroupfs", 1).remove("t8")).isFalse();
    }
}
