package io.berth.agent.cgroup;

import io.berth.agent.docker.DaemonCgroups;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes and removes the cgroup of a task of a given size under the cgroup file system ({@code /sys/fs/cgroup}).
 * With the cgroupfs driver the task's cgroup is {@code /ecs/<task-id>}: on cgroup v1 its {@code cpu.cfs_quota_us} and
 * {@code memory.limit_in_bytes} are set in the cpu and memory hierarchies, on v2 its {@code cpu.max} and
 * {@code memory.max} (after enabling those controllers on the way down). The daemon's systemd driver takes slices
 * only, which systemd itself must create and limit: there the task runs without a task cgroup.
 */
public final class TaskCgroups {

    private static final Logger LOG = LoggerFactory.getLogger(TaskCgroups.class);
    public static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    /** Where the official agent puts task cgroups. */
    static final String PREFIX = "ecs";

    private final DaemonCgroups daemon;
    private final Path root;

    public TaskCgroups(DaemonCgroups daemon, Path root) {
        this.daemon = daemon;
        this.root = root;
    }

    /** The cgroup parent of a task's containers. */
    public static String parentOf(String taskId) {
        return "/" + PREFIX + "/" + taskId;
    }

    /**
     * Creates the task's cgroup with the size's limits (again if it exists) and returns the cgroup parent for its
     * containers; empty when the size sets no limit or the daemon's cgroup driver cannot take one.
     */
    public Optional<String> create(String taskId, TaskSize size) {
        if (!size.set()) {
            return Optional.empty();
        }
        if (!"cgroupfs".equals(daemon.driver())) {
            LOG.warn("Task {}: the Docker daemon's cgroup driver is {}; the task size is not enforced", taskId,
                    daemon.driver());
            return Optional.empty();
        }
        try {
            if (daemon.version() == 2) {
                createV2(taskId, size);
            } else {
                createV1(taskId, size);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot set up the cgroup of task " + taskId + ": " + e.getMessage(), e);
        }
        return Optional.of(parentOf(taskId));
    }

    private void createV1(String taskId, TaskSize size) throws IOException {
        if (size.limitsCpu()) {
            Path cpu = Files.createDirectories(root.resolve("cpu").resolve(PREFIX).resolve(taskId));
            write(cpu.resolve("cpu.cfs_period_us"), Long.toString(TaskSize.CPU_PERIOD_MICROS));
            write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(size.cpuQuotaMicros()));
        }
        if (size.limitsMemory()) {
            Path memory = Files.createDirectories(root.resolve("memory").resolve(PREFIX).resolve(taskId));
            write(memory.resolve("memory.limit_in_bytes"), Long.toString(size.memoryBytes()));
        }
    }

    private void createV2(String taskId, TaskSize size) throws IOException {
        Path prefix = Files.createDirectories(root.resolve(PREFIX));
        Path task = Files.createDirectories(prefix.resolve(taskId));
        // a controller's files appear in a cgroup only once its parent delegates that controller
        for (Path parent : new Path[] {root, prefix}) {
            write(parent.resolve("cgroup.subtree_control"), "+cpu +memory");
        }
        if (size.limitsCpu()) {
            write(task.resolve("cpu.max"), size.cpuQuotaMicros() + " " + TaskSize.CPU_PERIOD_MICROS);
        }
        if (size.limitsMemory()) {
            write(task.resolve("memory.max"), Long.toString(size.memoryBytes()));
        }
    }

    /**
     * Removes the task's cgroup wherever it is (the runtime makes it in every v1 hierarchy). A cgroup still holding a
     * container's cannot go yet: answers whether everything went.
     */
    public boolean remove(String taskId) {
        boolean removed = true;
        removed &= removeDirectory(root.resolve(PREFIX).resolve(taskId));
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> hierarchies = Files.newDirectoryStream(root, Files::isDirectory)) {
                for (Path hierarchy : hierarchies) {
                    removed &= removeDirectory(hierarchy.resolve(PREFIX).resolve(taskId));
                }
            } catch (IOException e) {
                LOG.warn("Cannot list the cgroup hierarchies under {}: {}", root, e.getMessage());
                return false;
            }
        }
        return removed;
    }

    /** A cgroup directory goes with rmdir alone: its files are the kernel's, not to be deleted one by one. */
    private static boolean removeDirectory(Path cgroup) {
        if (!Files.isDirectory(cgroup)) {
            return true;
        }
        try {
            Files.delete(cgroup);
            return true;
        } catch (IOException e) {
            LOG.info("Cannot remove cgroup {} yet: {}", cgroup, e.getMessage());
            return false;
        }
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value);
    }
}
