package io.berth.agent.engine;

import io.berth.agent.awsvpc.BridgeSetup;
import io.berth.agent.awsvpc.TaskNetworks;
import io.berth.agent.cgroup.TaskCgroups;
import io.berth.agent.docker.ContainerRuntime;
import io.berth.model.acs.AcsTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;

/**
 * Runs the tasks the control plane assigns to this host. Each task has a desired status set by the control plane
 * (RUNNING or STOPPED) and is driven towards it on its own thread; transitions go to the {@link StateReporter};
 * every change is kept in the {@link Checkpoint}, from which a restarted engine re-adopts its containers.
 */
public final class TaskEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskEngine.class);
    /** The official agent's wording, typo included: control planes may match on it. */
    static final String UNRECOGNIZED_TASK = "UnrecogniedTaskError: ";

    private final ContainerRuntime runtime;
    private final StateReporter reporter;
    private final Checkpoint checkpoint;
    private final EngineSettings settings;
    private final TaskHooks hooks;
    private final TaskNetworks networks;
    private TaskCgroups cgroups;
    private final Map<String, ManagedTask> tasks = new ConcurrentHashMap<>();
    private final Map<String, Thread> threads = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public TaskEngine(ContainerRuntime runtime, StateReporter reporter, Checkpoint checkpoint, EngineSettings settings) {
        this(runtime, reporter, checkpoint, settings, TaskHooks.NONE);
    }

    /** An engine that also tells {@code hooks} of its tasks' containers as they are created, start and stop. */
    public TaskEngine(ContainerRuntime runtime, StateReporter reporter, Checkpoint checkpoint, EngineSettings settings,
            TaskHooks hooks) {
        this(runtime, reporter, checkpoint, settings, hooks, BridgeSetup.NONE);
    }

    /** An engine that also prepares with {@code bridges} each bridge its awsvpc tasks join. */
    public TaskEngine(ContainerRuntime runtime, StateReporter reporter, Checkpoint checkpoint, EngineSettings settings,
            TaskHooks hooks, BridgeSetup bridges) {
        this.runtime = runtime;
        this.reporter = reporter;
        this.checkpoint = checkpoint;
        this.settings = settings;
        this.hooks = hooks;
        String owner = checkpoint.instanceArn() != null ? checkpoint.instanceArn() : "cluster/" + settings.cluster();
        this.networks = new TaskNetworks(runtime, owner, bridges);
    }

    /**
     * Takes back every task the checkpoint holds and resumes driving it, after sweeping the awsvpc namespaces of tasks
     * it does not hold.
     */
    public void start() {
        networks.start(checkpoint.tasks().stream().map(TaskRecord::arn).collect(Collectors.toSet()));
        for (TaskRecord saved : checkpoint.tasks()) {
            LOG.info("Resuming task {} (desired {}, last reported {})", saved.arn(), saved.desiredStatus(),
                    saved.sentStatus());
            launch(new ManagedTask(this, saved));
        }
    }

    /**
     * Applies a task from a payload: a new task is taken on, a known one only has its desired status lowered
     * to STOPPED. A task that cannot be loaded is reported STOPPED and refused with the reason.
     */
    public void apply(AcsTask task) throws InvalidTaskException {
        try {
            TaskValidation.check(task);
        } catch (InvalidTaskException e) {
            reject(task, e.getMessage());
            throw e;
        }
        ManagedTask existing = tasks.get(task.arn());
        if (existing != null) {
            if ("STOPPED".equals(task.desiredStatus())) {
                existing.stop();
            }
            return;
        }
        launch(new ManagedTask(this, task));
    }

    /** Sets a task's desired status to STOPPED; an unknown task is ignored. */
    public void stopTask(String taskArn) {
        ManagedTask task = tasks.get(taskArn);
        if (task != null) {
            task.stop();
        }
    }

    /** The ARNs of the tasks whose desired status is RUNNING. */
    public Set<String> tasksDesiredRunning() {
        return tasks.values().stream().filter(t -> "RUNNING".equals(t.desiredStatus()))
                .map(ManagedTask::arn).collect(Collectors.toUnmodifiableSet());
    }

    /** The engine's current view of a task. */
    public Optional<TaskRecord> task(String taskArn) {
        return Optional.ofNullable(tasks.get(taskArn)).map(ManagedTask::record);
    }

    /** Every task on this host. */
    public List<TaskRecord> tasks() {
        return tasks.values().stream().map(ManagedTask::record)
                .sorted(Comparator.comparing(TaskRecord::arn)).toList();
    }

    /** Stops driving tasks; their containers keep running and a later engine re-adopts them. */
    @Override
    public void close() {
        closed = true;
        tasks.values().forEach(ManagedTask::close);
        for (Thread thread : threads.values()) {
            try {
                thread.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void launch(ManagedTask task) {
        if (closed) {
            return;
        }
        tasks.put(task.arn(), task);
        Thread thread = Thread.ofPlatform().daemon().name("task-" + task.arn().substring(task.arn().lastIndexOf('/') + 1))
                .unstarted(task);
        threads.put(task.arn(), thread);
        thread.start();
    }

    private void reject(AcsTask task, String why) {
        if (task.arn() == null) {
            return;
        }
        SubmitTaskStateChangeRequest stopped = SubmitTaskStateChangeRequest.builder()
                .cluster(settings.cluster()).task(task.arn()).status("STOPPED").reason(UNRECOGNIZED_TASK + why)
                .executionStoppedAt(Instant.now()).build();
        Thread.ofPlatform().daemon().name("reject-task").start(() -> {
            try {
                reporter.submit(stopped);
            } catch (RuntimeException e) {
                LOG.warn("Cannot report rejected task {}: {}", task.arn(), e.getMessage());
            }
        });
    }

    ContainerRuntime runtime() {
        return runtime;
    }

    StateReporter reporter() {
        return reporter;
    }

    EngineSettings settings() {
        return settings;
    }

    TaskHooks hooks() {
        return hooks;
    }

    TaskNetworks networks() {
        return networks;
    }

    /** Task cgroups as the daemon's cgroup driver and version allow, asked of the daemon once. */
    synchronized TaskCgroups cgroups() {
        if (cgroups == null) {
            cgroups = new TaskCgroups(runtime.cgroups(), TaskCgroups.CGROUP_ROOT);
        }
        return cgroups;
    }

    /** A task's state changed: save every task's latest record. */
    void changed() {
        synchronized (checkpoint) {
            List<TaskRecord> records = new ArrayList<>();
            tasks.values().forEach(t -> records.add(t.record()));
            records.sort(Comparator.comparing(TaskRecord::arn));
            checkpoint.saveTasks(records);
        }
    }

    /** A task has been cleaned up and leaves the host. */
    void forget(ManagedTask task) {
        tasks.remove(task.arn(), task);
        threads.remove(task.arn());
        changed();
    }
}
