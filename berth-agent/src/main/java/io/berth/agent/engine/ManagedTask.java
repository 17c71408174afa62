package io.berth.agent.engine;

import io.berth.agent.awsvpc.NetworkSetupException;
import io.berth.agent.awsvpc.TaskNetwork;
import io.berth.agent.docker.ContainerRuntime;
import io.berth.agent.docker.ContainerState;
import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.AcsTask;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task on this host, driven by its own thread: it moves each container towards the task's desired status in
 * dependency order ({@link ContainerGraph}), applies essential-container semantics, reports each transition once
 * ({@link TaskReports}) and finally cleans up. Only that thread touches the mutable state; other threads change the
 * desired status and read {@link #record()}.
 */
final class ManagedTask implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedTask.class);
    static final String ESSENTIAL_EXITED = "Essential container in task exited";
    /** How long past its due time the hooks may hold a stopped task's cleanup (say, while its log is shipped). */
    static final Duration CLEANUP_HOLD_LIMIT = Duration.ofHours(1);

    private final TaskEngine engine;
    private final ContainerRuntime runtime;
    private final EngineSettings settings;
    private final TaskHooks hooks;
    private final AcsTask task;
    private final Map<String, TaskContainer> containers = new LinkedHashMap<>();
    private final ContainerGraph graph;
    private final TaskVolumes volumes;
    private final ContainerCreation creation;
    private final TaskCgroup cgroup;
    private final TaskNetwork network;
    private final TaskReports reports;
    private final Object wakeUp = new Object();

    private volatile String desiredStatus;
    private volatile TaskRecord record;
    private volatile boolean closed;

    private Status known = Status.NONE;
    private String reason;
    private Instant executionStoppedAt;
    private boolean cleanedUp;
    /** What the hooks have heard in this run: containers seen started, and whether the task was seen stopped. */
    private final List<String> announcedStarts = new ArrayList<>();
    private boolean announcedStop;

    /** A task newly received from the control plane. */
    ManagedTask(TaskEngine engine, AcsTask task) {
        this.engine = engine;
        this.runtime = engine.runtime();
        this.settings = engine.settings();
        this.hooks = engine.hooks();
        this.task = task;
        this.desiredStatus = task.desiredStatus();
        for (AcsContainer definition : task.containers()) {
            containers.put(definition.name(), new TaskContainer(definition));
        }
        TaskNames names = new TaskNames(task, settings.cluster());
        this.graph = new ContainerGraph(containers);
        this.volumes = new TaskVolumes(task, runtime, names);
        this.cgroup = new TaskCgroup(task, names.taskId(), engine.cgroups());
        this.network = engine.networks().of(task, names.dockerName("internalecspause"),
                names.labels(TaskNames.PAUSE_CONTAINER));
        this.creation = new ContainerCreation(task, runtime, settings, hooks, names, volumes, cgroup, network,
                containers);
        this.reports = new TaskReports(task.arn(), settings.cluster(), engine.reporter());
        this.record = snapshot();
    }

    /** A task restored from the checkpoint of an earlier run. */
    ManagedTask(TaskEngine engine, TaskRecord saved) {
        this(engine, saved.task());
        this.desiredStatus = saved.desiredStatus();
        this.known = saved.knownStatus();
        this.reason = saved.reason();
        this.executionStoppedAt = saved.executionStoppedAt();
        reports.restore(saved.sentStatus(), saved.stoppedAt());
        creation.restore(saved.pullStartedAt(), saved.pullStoppedAt());
        volumes.restore(saved.volumeSources(), saved.ownedVolumes());
        for (ContainerRecord savedContainer : saved.containers()) {
            TaskContainer container = containers.get(savedContainer.name());
            if (container != null) {
                container.restore(savedContainer);
            }
        }
        this.record = snapshot();
    }

    String arn() {
        return task.arn();
    }

    TaskRecord record() {
        return record;
    }

    String desiredStatus() {
        return desiredStatus;
    }

    /** Sets the desired status to STOPPED; a task never goes back to RUNNING. */
    void stop() {
        desiredStatus = "STOPPED";
        wake();
    }

    void close() {
        closed = true;
        wake();
    }

    private void wake() {
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    @Override
    public void run() {
        while (!closed && !cleanedUp) {
            try {
                step();
            } catch (TaskSetupException | NetworkSetupException e) {
                LOG.warn("Task {} cannot be set up: {}", arn(), e.getMessage());
                fail(e.getMessage());
            } catch (RuntimeException e) {
                // the runtime may be briefly unavailable; the next step tries again
                LOG.warn("Task {}: {}", arn(), e.getMessage(), e);
            }
            publish();
            if (cleanedUp) {
                break;
            }
            synchronized (wakeUp) {
                try {
                    wakeUp.wait(settings.pollInterval().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (cleanedUp) {
            engine.forget(this);
        }
    }

    private void step() {
        refresh();
        if ("RUNNING".equals(desiredStatus) && !closed) {
            progress();
        }
        if ("STOPPED".equals(desiredStatus) && !closed) {
            stopContainers();
        }
        known = taskStatus();
        if (known == Status.STOPPED) {
            network.tearDown();
            cgroup.remove();
        }
        announce();
        reports.report(new TaskReports.TaskState(known, reason, creation.pullStartedAt(), creation.pullStoppedAt(),
                executionStoppedAt), containers.values());
        cleanUpWhenDue();
    }

    // ---- observing

    private void refresh() {
        if ("RUNNING".equals(desiredStatus)) {
            network.check();
        }
        for (TaskContainer container : containers.values()) {
            if (container.dockerId == null || container.known == Status.STOPPED) {
                continue;
            }
            ContainerState state = runtime.inspect(container.dockerId).orElse(null);
            if (state == null) {
                container.known = Status.STOPPED;
                container.reason = "The container no longer exists";
                continue;
            }
            observe(container, state);
        }
    }

    private void observe(TaskContainer container, ContainerState state) {
        container.dockerName = state.name();
        container.observeHealth(state.health());
        if (!state.ports().isEmpty()) {
            container.ports = state.ports();
        }
        if (state.startedAt() != null) {
            container.startedAt = state.startedAt();
        }
        if (state.running()) {
            container.known = Status.RUNNING;
        } else if (state.exited()) {
            container.known = Status.STOPPED;
            container.exitCode = state.exitCode();
            container.finishedAt = state.finishedAt();
            if (state.error() != null && container.reason == null) {
                container.reason = state.error();
            }
        } else if (!container.known.atLeast(Status.CREATED)) {
            container.known = Status.CREATED;
        }
    }

    // ---- moving towards RUNNING

    private void progress() {
        network.setUp(containers.values().stream().anyMatch(c -> c.dockerId != null), reports::confirmAttachment);
        if (!volumes.ready()) {
            graph.check();
            volumes.setUp(containers.values());
        }
        for (TaskContainer container : containers.values()) {
            // a container created but never started (say, by an agent that stopped in between) is started now
            if (container.known.atLeast(Status.RUNNING) || !"RUNNING".equals(desiredStatus) || closed) {
                continue;
            }
            String blocked = graph.blockedBy(container);
            if (blocked == null) {
                startContainer(container);
            } else if (!blocked.isEmpty()) {
                container.known = Status.STOPPED;
                container.reason = blocked;
            }
        }
        for (TaskContainer container : containers.values()) {
            if (container.essential() && container.known == Status.STOPPED) {
                if (executionStoppedAt == null) {
                    executionStoppedAt = container.finishedAt != null ? container.finishedAt : Instant.now();
                }
                if (reason == null) {
                    reason = ESSENTIAL_EXITED;
                }
                desiredStatus = "STOPPED";
                return;
            }
        }
    }

    /** Creates the container unless it exists, then starts it; a failed step stops the container with its error. */
    private void startContainer(TaskContainer container) {
        try {
            if (container.dockerId == null) {
                creation.create(container);
                // the id must survive a crash right after creation, or a restart would create a second one
                publish();
            }
            ContainerState state = runtime.inspect(container.dockerId).orElse(null);
            if (state != null && !state.running() && !state.exited()) {
                network.awaitRunning();
                runtime.start(container.dockerId);
                state = runtime.inspect(container.dockerId).orElse(null);
            }
            if (state == null) {
                container.known = Status.STOPPED;
                container.reason = "The container no longer exists";
            } else {
                observe(container, state);
            }
        } catch (TaskSetupException | NetworkSetupException e) {
            throw e;
        } catch (ContainerStepException e) {
            failContainer(container, e.errorName() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            failContainer(container, "CannotStartContainerError: " + e.getMessage());
        }
    }

    private void failContainer(TaskContainer container, String why) {
        LOG.warn("Task {}: container {} failed to start: {}", arn(), container.name(), why);
        container.known = Status.STOPPED;
        container.reason = why;
        if (container.essential() && reason == null) {
            reason = why;
        }
    }

    // ---- moving towards STOPPED

    private void stopContainers() {
        List<TaskContainer> order = new ArrayList<>(containers.values());
        Collections.reverse(order);
        for (TaskContainer container : order) {
            if (container.known == Status.STOPPED) {
                continue;
            }
            if (container.dockerId == null) {
                container.known = Status.STOPPED;
                continue;
            }
            Duration timeout = container.definition.stopTimeout() == null
                    ? settings.defaultStopTimeout() : Duration.ofSeconds(container.definition.stopTimeout());
            try {
                runtime.stop(container.dockerId, timeout);
                ContainerState state = runtime.inspect(container.dockerId).orElse(null);
                if (state == null) {
                    container.known = Status.STOPPED;
                } else {
                    observe(container, state);
                    if (!state.running()) {
                        container.known = Status.STOPPED;
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("Task {}: cannot stop container {}: {}", arn(), container.name(), e.getMessage());
            }
        }
    }

    private void fail(String why) {
        if (reason == null) {
            reason = why;
        }
        desiredStatus = "STOPPED";
        for (TaskContainer container : containers.values()) {
            if (container.dockerId == null) {
                container.known = Status.STOPPED;
            }
        }
    }

    private Status taskStatus() {
        boolean allStopped = containers.values().stream().allMatch(c -> c.known == Status.STOPPED);
        if (allStopped) {
            return Status.STOPPED;
        }
        if (known == Status.RUNNING) {
            return Status.RUNNING;
        }
        boolean allStarted = containers.values().stream().allMatch(c -> c.known.atLeast(Status.RUNNING));
        if (allStarted && "RUNNING".equals(desiredStatus)) {
            return Status.RUNNING;
        }
        boolean anyCreated = containers.values().stream().anyMatch(c -> c.known.atLeast(Status.CREATED));
        return anyCreated ? Status.CREATED : Status.NONE;
    }

    // ---- telling the hooks

    /** Tells the hooks of every container seen started and of the task seen stopped, once per run of this agent. */
    private void announce() {
        for (TaskContainer container : containers.values()) {
            if (container.dockerId != null && container.startedAt != null
                    && !announcedStarts.contains(container.name())) {
                announcedStarts.add(container.name());
                callHook(() -> hooks.containerStarted(task, container.record()));
            }
        }
        if (known == Status.STOPPED && !announcedStop) {
            announcedStop = true;
            TaskRecord stopped = snapshot();
            callHook(() -> hooks.taskStopped(stopped));
        }
    }

    private void callHook(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("Task {}: a task hook failed: {}", arn(), e.getMessage(), e);
        }
    }

    // ---- cleaning up

    private void cleanUpWhenDue() {
        Instant stoppedAt = reports.stoppedAt();
        if (reports.sent() != Status.STOPPED || stoppedAt == null
                || Instant.now().isBefore(stoppedAt.plus(settings.taskCleanupWait()))) {
            return;
        }
        if (cleanupHeld(stoppedAt.plus(settings.taskCleanupWait()))) {
            return;
        }
        for (TaskContainer container : containers.values()) {
            if (container.dockerId != null) {
                runtime.remove(container.dockerId);
            }
        }
        volumes.removeOwned();
        cgroup.remove();
        cleanedUp = true;
        TaskRecord removed = snapshot();
        callHook(() -> hooks.taskRemoved(removed));
        LOG.info("Task {}: cleaned up", arn());
    }

    /** Whether the hooks hold the cleanup due at {@code due}; they may, up to {@link #CLEANUP_HOLD_LIMIT} past it. */
    private boolean cleanupHeld(Instant due) {
        boolean ready;
        try {
            ready = hooks.readyForCleanup(snapshot());
        } catch (RuntimeException e) {
            LOG.warn("Task {}: a task hook failed: {}", arn(), e.getMessage(), e);
            ready = true;
        }
        if (ready) {
            return false;
        }
        if (Instant.now().isAfter(due.plus(CLEANUP_HOLD_LIMIT))) {
            LOG.warn("Task {}: cleaned up although its hooks still held it, {} past its due time", arn(),
                    CLEANUP_HOLD_LIMIT);
            return false;
        }
        return true;
    }

    // ---- publishing

    private TaskRecord snapshot() {
        return new TaskRecord(task, desiredStatus, known, reports.sent(), reason, creation.pullStartedAt(),
                creation.pullStoppedAt(), executionStoppedAt, reports.stoppedAt(), volumes.sources(), volumes.owned(),
                containers.values().stream().map(TaskContainer::record).toList());
    }

    /** Makes the current state visible to other threads, saving it when it changed. */
    private void publish() {
        TaskRecord current = snapshot();
        if (!current.equals(record)) {
            record = current;
            engine.changed();
        }
    }
}
