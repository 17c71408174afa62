package io.berth.agent.engine;

import io.berth.agent.docker.ContainerListing;
import io.berth.agent.docker.ContainerRuntime;
import io.berth.agent.docker.ContainerSetup;
import io.berth.agent.docker.ContainerState;
import io.berth.agent.docker.CreateBodies;
import io.berth.agent.docker.PortBinding;
import io.berth.agent.docker.RuntimeFailure;
import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.AcsVolume;
import io.berth.model.acs.ContainerDependency;
import io.berth.model.acs.DockerVolumeConfiguration;
import io.berth.model.acs.MountPoint;
import io.berth.model.acs.VolumeFrom;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.ContainerStateChange;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;

/**
 * One task on this host, driven by its own thread: it moves each container towards the task's desired status in
 * dependency order, applies essential-container semantics, reports each transition once and finally cleans up.
 * Only that thread touches the mutable state; other threads change the desired status and read {@link #record()}.
 */
final class ManagedTask implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedTask.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);
    static final String ESSENTIAL_EXITED = "Essential container in task exited";

    /** The mutable view of one container, owned by the task thread. */
    private static final class Container {
        final AcsContainer definition;
        String dockerId;
        String dockerName;
        String endpointId;
        Status known = Status.NONE;
        Status sent = Status.NONE;
        Integer exitCode;
        String reason;
        String health;
        List<PortBinding> ports = List.of();
        Instant createdAt;
        Instant startedAt;
        Instant finishedAt;

        Container(AcsContainer definition) {
            this.definition = definition;
        }

        String name() {
            return definition.name();
        }

        boolean essential() {
            return Boolean.TRUE.equals(definition.essential());
        }

        ContainerRecord record() {
            return new ContainerRecord(name(), definition.image(), dockerId, dockerName, endpointId, known, sent,
                    exitCode, reason, health, ports, createdAt, startedAt, finishedAt);
        }
    }

    private final TaskEngine engine;
    private final ContainerRuntime runtime;
    private final EngineSettings settings;
    private final AcsTask task;
    private final Map<String, Container> containers = new LinkedHashMap<>();
    private final Object wakeUp = new Object();

    private volatile String desiredStatus;
    private volatile TaskRecord record;
    private volatile boolean closed;

    private Status known = Status.NONE;
    private Status sent = Status.NONE;
    private String reason;
    private Instant pullStartedAt;
    private Instant pullStoppedAt;
    private Instant executionStoppedAt;
    private Instant stoppedAt;
    private Map<String, String> volumeSources;
    private final List<String> ownedVolumes = new ArrayList<>();
    private Instant nextReportAttempt = Instant.MIN;
    private Duration reportRetry = FIRST_RETRY;
    private boolean cleanedUp;

    /** A task newly received from the control plane. */
    ManagedTask(TaskEngine engine, AcsTask task) {
        this.engine = engine;
        this.runtime = engine.runtime();
        this.settings = engine.settings();
        this.task = task;
        this.desiredStatus = task.desiredStatus();
        for (AcsContainer definition : task.containers()) {
            Container container = new Container(definition);
            container.endpointId = UUID.randomUUID().toString();
            containers.put(definition.name(), container);
        }
        this.record = snapshot();
    }

    /** A task restored from the checkpoint of an earlier run. */
    ManagedTask(TaskEngine engine, TaskRecord saved) {
        this(engine, saved.task());
        this.desiredStatus = saved.desiredStatus();
        this.known = saved.knownStatus();
        this.sent = saved.sentStatus();
        this.reason = saved.reason();
        this.pullStartedAt = saved.pullStartedAt();
        this.pullStoppedAt = saved.pullStoppedAt();
        this.executionStoppedAt = saved.executionStoppedAt();
        this.stoppedAt = saved.stoppedAt();
        this.volumeSources = saved.volumeSources() == null ? null : new HashMap<>(saved.volumeSources());
        this.ownedVolumes.addAll(saved.ownedVolumes());
        for (ContainerRecord savedContainer : saved.containers()) {
            Container container = containers.get(savedContainer.name());
            if (container == null) {
                continue;
            }
            container.dockerId = savedContainer.dockerId();
            container.dockerName = savedContainer.dockerName();
            container.endpointId = savedContainer.endpointId();
            container.known = savedContainer.knownStatus();
            container.sent = savedContainer.sentStatus();
            container.exitCode = savedContainer.exitCode();
            container.reason = savedContainer.reason();
            container.ports = savedContainer.ports();
            container.createdAt = savedContainer.createdAt();
            container.startedAt = savedContainer.startedAt();
            container.finishedAt = savedContainer.finishedAt();
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
            } catch (TaskSetupException e) {
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
        report();
        cleanUpWhenDue();
    }

    // ---- observing

    private void refresh() {
        for (Container container : containers.values()) {
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

    private void observe(Container container, ContainerState state) {
        container.dockerName = state.name();
        container.health = state.health();
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
        if (volumeSources == null) {
            try {
                volumeSources = setUpVolumes();
            } catch (RuntimeFailure e) {
                throw new TaskSetupException(e.getMessage());
            }
        }
        for (Container container : containers.values()) {
            // a container created but never started (say, by an agent that stopped in between) is started now
            if (container.known.atLeast(Status.RUNNING) || !"RUNNING".equals(desiredStatus) || closed) {
                continue;
            }
            String blocked = blockedBy(container);
            if (blocked == null) {
                startContainer(container);
            } else if (!blocked.isEmpty()) {
                container.known = Status.STOPPED;
                container.reason = blocked;
            }
        }
        for (Container container : containers.values()) {
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

    /** Null when the container may start now, "" while it must wait, else why it never can. */
    private String blockedBy(Container container) {
        List<ContainerDependency> dependencies = new ArrayList<>();
        if (container.definition.dependsOn() != null) {
            dependencies.addAll(container.definition.dependsOn());
        }
        if (container.definition.links() != null) {
            for (String link : container.definition.links()) {
                dependencies.add(new ContainerDependency(link.split(":", 2)[0], "START"));
            }
        }
        if (container.definition.volumesFrom() != null) {
            for (VolumeFrom from : container.definition.volumesFrom()) {
                dependencies.add(new ContainerDependency(from.sourceContainer(), "CREATE"));
            }
        }
        boolean waiting = false;
        for (ContainerDependency dependency : dependencies) {
            Container target = containers.get(dependency.containerName());
            if (target == null) {
                throw new TaskSetupException("Container " + container.name() + " depends on unknown container "
                        + dependency.containerName());
            }
            String condition = dependency.condition() == null ? "START" : dependency.condition();
            boolean started = target.startedAt != null || target.known == Status.RUNNING;
            boolean satisfied = switch (condition) {
                case "CREATE" -> target.known.atLeast(Status.CREATED) && target.dockerId != null;
                case "START" -> started && target.known.atLeast(Status.RUNNING);
                case "COMPLETE" -> target.known == Status.STOPPED && target.exitCode != null;
                case "SUCCESS" -> target.known == Status.STOPPED && Integer.valueOf(0).equals(target.exitCode);
                case "HEALTHY" -> "healthy".equals(target.health) && target.known == Status.RUNNING;
                default -> throw new TaskSetupException("Unknown dependency condition " + condition);
            };
            if (satisfied) {
                continue;
            }
            if (target.known == Status.STOPPED) {
                return "DependencyConditionFailure: " + dependency.containerName() + " did not reach condition "
                        + condition + (target.exitCode == null ? "" : " (exit code " + target.exitCode + ")");
            }
            waiting = true;
        }
        return waiting ? "" : null;
    }

    private void startContainer(Container container) {
        AcsContainer definition = container.definition;
        // the official agent's error names, by the step that failed
        String failedStep = "CannotCreateContainerError";
        try {
            if (container.dockerId == null) {
                ContainerListing existing = findExisting(container);
                if (existing != null) {
                    container.dockerId = existing.id();
                    container.dockerName = existing.name();
                    LOG.info("Task {}: adopted container {} ({})", arn(), container.name(), existing.id());
                } else {
                    failedStep = "CannotPullContainerError";
                    pullImage(definition.image());
                    container.known = Status.PULLED;
                    failedStep = "CannotCreateContainerError";
                    container.dockerName = dockerName(container.name());
                    container.dockerId = runtime.create(container.dockerName, CreateBodies.of(setupOf(container)));
                    container.createdAt = Instant.now();
                    container.known = Status.CREATED;
                    // the id must survive a crash right after creation, or a restart would create a second one
                    publish();
                }
            }
            failedStep = "CannotStartContainerError";
            ContainerState state = runtime.inspect(container.dockerId).orElse(null);
            if (state != null && !state.running() && !state.exited()) {
                runtime.start(container.dockerId);
                state = runtime.inspect(container.dockerId).orElse(null);
            }
            if (state == null) {
                container.known = Status.STOPPED;
                container.reason = "The container no longer exists";
            } else {
                observe(container, state);
            }
        } catch (TaskSetupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Task {}: container {} failed to start: {}", arn(), container.name(), e.getMessage());
            container.known = Status.STOPPED;
            container.reason = failedStep + ": " + e.getMessage();
            if (container.essential() && reason == null) {
                reason = container.reason;
            }
        }
    }

    private ContainerListing findExisting(Container container) {
        return runtime.listByLabel(EcsLabels.TASK_ARN, arn()).stream()
                .filter(c -> container.name().equals(c.labels().get(EcsLabels.CONTAINER_NAME)))
                .findFirst().orElse(null);
    }

    private void pullImage(String image) {
        ImagePullBehavior behavior = settings.imagePullBehavior();
        boolean cached = behavior != ImagePullBehavior.ALWAYS && runtime.imageExists(image);
        if (cached && (behavior == ImagePullBehavior.ONCE || behavior == ImagePullBehavior.PREFER_CACHED)) {
            return;
        }
        Instant started = Instant.now();
        try {
            runtime.pull(image);
        } catch (RuntimeException e) {
            if (behavior == ImagePullBehavior.DEFAULT && (cached || runtime.imageExists(image))) {
                LOG.info("Task {}: pulling {} failed, using the cached image: {}", arn(), image, e.getMessage());
                return;
            }
            throw e;
        } finally {
            if (pullStartedAt == null) {
                pullStartedAt = started;
            }
            pullStoppedAt = Instant.now();
        }
    }

    private String dockerName(String containerName) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        return sanitize("ecs-" + task.family() + "-" + task.version() + "-" + containerName + "-"
                + HexFormat.of().formatHex(random));
    }

    private static String sanitize(String name) {
        return name.replaceAll("[^a-zA-Z0-9_.-]", "-");
    }

    private Map<String, String> labels(String containerName) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(EcsLabels.TASK_ARN, arn());
        if (containerName != null) {
            labels.put(EcsLabels.CONTAINER_NAME, containerName);
        }
        labels.put(EcsLabels.CLUSTER, settings.cluster());
        labels.put(EcsLabels.FAMILY, task.family());
        labels.put(EcsLabels.VERSION, task.version());
        return labels;
    }

    private ContainerSetup setupOf(Container container) {
        AcsContainer definition = container.definition;
        List<String> command;
        try {
            command = TaskValidation.commandOverride(definition);
        } catch (InvalidTaskException e) {
            throw new TaskSetupException(e.getMessage());
        }
        if (command == null) {
            command = definition.command();
        }
        Map<String, String> environment = new LinkedHashMap<>();
        if (definition.environment() != null) {
            environment.putAll(definition.environment());
        }
        if (settings.metadataBaseUri() != null) {
            environment.put("ECS_CONTAINER_METADATA_URI", settings.metadataBaseUri() + "/v3/" + container.endpointId);
            environment.put("ECS_CONTAINER_METADATA_URI_V4", settings.metadataBaseUri() + "/v4/" + container.endpointId);
        }
        if (task.roleCredentials() != null && task.roleCredentials().credentialsId() != null) {
            environment.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                    "/v2/credentials/" + task.roleCredentials().credentialsId());
        }
        List<String> links = new ArrayList<>();
        if (definition.links() != null) {
            for (String link : definition.links()) {
                String[] parts = link.split(":", 2);
                Container target = containers.get(parts[0]);
                if (target == null || target.dockerName == null) {
                    throw new TaskSetupException("Container " + container.name() + " links to unknown container "
                            + parts[0]);
                }
                links.add(target.dockerName + ":" + (parts.length > 1 ? parts[1] : parts[0]));
            }
        }
        List<String> binds = new ArrayList<>();
        if (definition.mountPoints() != null) {
            for (MountPoint mount : definition.mountPoints()) {
                String source = volumeSources.get(mount.sourceVolume());
                if (source == null) {
                    throw new TaskSetupException("Container " + container.name() + " mounts unknown volume "
                            + mount.sourceVolume());
                }
                binds.add(source + ":" + mount.containerPath() + (Boolean.TRUE.equals(mount.readOnly()) ? ":ro" : ""));
            }
        }
        List<String> volumesFrom = new ArrayList<>();
        if (definition.volumesFrom() != null) {
            for (VolumeFrom from : definition.volumesFrom()) {
                Container source = containers.get(from.sourceContainer());
                if (source == null || source.dockerName == null) {
                    throw new TaskSetupException("Container " + container.name() + " takes volumes from unknown "
                            + "container " + from.sourceContainer());
                }
                volumesFrom.add(source.dockerName + (Boolean.TRUE.equals(from.readOnly()) ? ":ro" : ""));
            }
        }
        return new ContainerSetup(definition, command, labels(container.name()), environment, links, binds,
                volumesFrom);
    }

    /** Creates the task's volumes and returns what each one mounts from. */
    private Map<String, String> setUpVolumes() {
        checkReferences();
        Map<String, String> sources = new HashMap<>();
        if (task.volumes() == null) {
            return sources;
        }
        for (AcsVolume volume : task.volumes()) {
            String type = volume.type() == null ? "host" : volume.type();
            switch (type) {
                case "host" -> {
                    if (volume.host().sourcePath() != null && !volume.host().sourcePath().isEmpty()) {
                        sources.put(volume.name(), volume.host().sourcePath());
                    } else {
                        String name = taskVolumeName(volume.name());
                        ensureVolume(name, "local", null, null);
                        sources.put(volume.name(), name);
                    }
                }
                case "docker" -> {
                    DockerVolumeConfiguration config = volume.dockerVolumeConfiguration();
                    if ("shared".equals(config.scope())) {
                        if (!runtime.volumeExists(volume.name())) {
                            if (!Boolean.TRUE.equals(config.autoprovision())) {
                                throw new TaskSetupException("Shared volume " + volume.name()
                                        + " does not exist and autoprovision is off");
                            }
                            runtime.createVolume(volume.name(), config.driver(), config.driverOpts(),
                                    config.labels());
                        }
                        sources.put(volume.name(), volume.name());
                    } else {
                        String name = taskVolumeName(volume.name());
                        ensureVolume(name, config.driver(), config.driverOpts(), config.labels());
                        sources.put(volume.name(), name);
                    }
                }
                default -> throw new TaskSetupException("Volume " + volume.name() + " has unsupported type " + type);
            }
        }
        return sources;
    }

    private void ensureVolume(String name, String driver, Map<String, String> options, Map<String, String> extraLabels) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (extraLabels != null) {
            labels.putAll(extraLabels);
        }
        labels.putAll(labels(null));
        if (!runtime.volumeExists(name)) {
            runtime.createVolume(name, driver, options, labels);
        }
        if (!ownedVolumes.contains(name)) {
            ownedVolumes.add(name);
        }
    }

    /** Task-scoped volume names are stable per task, so a restarted agent finds the volumes it made. */
    private String taskVolumeName(String volumeName) {
        String taskId = arn().substring(arn().lastIndexOf('/') + 1);
        return sanitize("ecs-" + task.family() + "-" + task.version() + "-" + volumeName + "-" + taskId);
    }

    private void checkReferences() {
        Map<String, AcsVolume> volumes = new HashMap<>();
        if (task.volumes() != null) {
            task.volumes().forEach(v -> volumes.put(v.name(), v));
        }
        for (Container container : containers.values()) {
            AcsContainer definition = container.definition;
            if (definition.mountPoints() != null) {
                for (MountPoint mount : definition.mountPoints()) {
                    if (!volumes.containsKey(mount.sourceVolume())) {
                        throw new TaskSetupException("Container " + container.name() + " mounts unknown volume "
                                + mount.sourceVolume());
                    }
                }
            }
            if (definition.links() != null) {
                for (String link : definition.links()) {
                    requireContainer(container, link.split(":", 2)[0], "links to");
                }
            }
            if (definition.volumesFrom() != null) {
                for (VolumeFrom from : definition.volumesFrom()) {
                    requireContainer(container, from.sourceContainer(), "takes volumes from");
                }
            }
            if (definition.dependsOn() != null) {
                for (ContainerDependency dependency : definition.dependsOn()) {
                    requireContainer(container, dependency.containerName(), "depends on");
                }
            }
        }
        checkNoCycle();
    }

    /** Links, volumes-from and dependsOn must not go round in a circle, or no container could ever start. */
    private void checkNoCycle() {
        Map<String, List<String>> edges = new HashMap<>();
        for (Container container : containers.values()) {
            List<String> targets = new ArrayList<>();
            AcsContainer definition = container.definition;
            if (definition.dependsOn() != null) {
                definition.dependsOn().forEach(d -> targets.add(d.containerName()));
            }
            if (definition.links() != null) {
                definition.links().forEach(l -> targets.add(l.split(":", 2)[0]));
            }
            if (definition.volumesFrom() != null) {
                definition.volumesFrom().forEach(v -> targets.add(v.sourceContainer()));
            }
            edges.put(container.name(), targets);
        }
        Map<String, Boolean> visiting = new HashMap<>();
        for (String name : edges.keySet()) {
            visit(name, edges, visiting);
        }
    }

    private static void visit(String name, Map<String, List<String>> edges, Map<String, Boolean> visiting) {
        Boolean state = visiting.get(name);
        if (Boolean.FALSE.equals(state)) {
            return;
        }
        if (Boolean.TRUE.equals(state)) {
            throw new TaskSetupException("Circular dependency between containers, through " + name);
        }
        visiting.put(name, true);
        for (String target : edges.getOrDefault(name, List.of())) {
            visit(target, edges, visiting);
        }
        visiting.put(name, false);
    }

    private void requireContainer(Container container, String target, String relation) {
        if (!containers.containsKey(target)) {
            throw new TaskSetupException("Container " + container.name() + " " + relation + " unknown container "
                    + target);
        }
    }

    // ---- moving towards STOPPED

    private void stopContainers() {
        List<Container> order = new ArrayList<>(containers.values());
        Collections.reverse(order);
        for (Container container : order) {
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
        for (Container container : containers.values()) {
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

    // ---- reporting

    private void report() {
        Instant now = Instant.now();
        if (now.isBefore(nextReportAttempt)) {
            return;
        }
        boolean taskChanged = known.reportable() && known.compareTo(sent) > 0;
        List<Container> changed = containers.values().stream()
                .filter(c -> c.known.reportable() && c.known.compareTo(c.sent) > 0)
                .toList();
        // container changes ride along with the task's own, or on their own once the task is RUNNING
        if (!taskChanged && (changed.isEmpty() || sent != Status.RUNNING)) {
            return;
        }
        Status status = taskChanged ? known : sent;
        SubmitTaskStateChangeRequest change = changeRequest(status, changed);
        try {
            engine.reporter().submit(change);
        } catch (InvalidParameterException e) {
            LOG.warn("Task {}: the control plane refused state {} for good: {}", arn(), status, e.getMessage());
        } catch (RuntimeException e) {
            LOG.info("Task {}: reporting {} failed, retrying in {}: {}", arn(), status, reportRetry, e.getMessage());
            nextReportAttempt = now.plus(reportRetry);
            reportRetry = min(LAST_RETRY, Duration.ofMillis((long) (reportRetry.toMillis() * 1.3)));
            return;
        }
        reportRetry = FIRST_RETRY;
        sent = status;
        for (Container container : changed) {
            container.sent = container.known;
        }
        if (sent == Status.STOPPED) {
            stoppedAt = Instant.now();
        }
    }

    private SubmitTaskStateChangeRequest changeRequest(Status status, List<Container> changed) {
        List<ContainerStateChange> containerChanges = new ArrayList<>();
        for (Container container : changed) {
            ContainerStateChange.Builder builder = ContainerStateChange.builder()
                    .containerName(container.name())
                    .runtimeId(container.dockerId)
                    .status(container.known.name())
                    .networkBindings(container.ports.stream().map(p -> NetworkBinding.builder()
                            .bindIP(p.hostIp()).containerPort(p.containerPort()).hostPort(p.hostPort())
                            .protocol(TransportProtocol.fromValue(p.protocol())).build()).toList());
            if (container.known == Status.STOPPED) {
                builder.exitCode(container.exitCode).reason(truncate(container.reason));
            }
            containerChanges.add(builder.build());
        }
        SubmitTaskStateChangeRequest.Builder request = SubmitTaskStateChangeRequest.builder()
                .cluster(settings.cluster())
                .task(arn())
                .status(status.name())
                .reason(status == Status.STOPPED && reason != null ? truncate(reason) : "")
                .containers(containerChanges)
                .pullStartedAt(pullStartedAt)
                .pullStoppedAt(pullStoppedAt);
        if (status == Status.STOPPED) {
            request.executionStoppedAt(executionStoppedAt != null ? executionStoppedAt : Instant.now());
        }
        return request.build();
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1024 ? text : text.substring(0, 1024);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    // ---- cleaning up

    private void cleanUpWhenDue() {
        if (sent != Status.STOPPED || stoppedAt == null
                || Instant.now().isBefore(stoppedAt.plus(settings.taskCleanupWait()))) {
            return;
        }
        for (Container container : containers.values()) {
            if (container.dockerId != null) {
                runtime.remove(container.dockerId);
            }
        }
        for (String volume : ownedVolumes) {
            runtime.removeVolume(volume);
        }
        cleanedUp = true;
        LOG.info("Task {}: cleaned up", arn());
    }

    // ---- publishing

    private TaskRecord snapshot() {
        return new TaskRecord(task, desiredStatus, known, sent, reason, pullStartedAt, pullStoppedAt,
                executionStoppedAt, stoppedAt, volumeSources, ownedVolumes,
                containers.values().stream().map(Container::record).toList());
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
