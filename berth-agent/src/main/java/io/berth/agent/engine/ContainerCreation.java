package io.berth.agent.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.agent.awsvpc.TaskNetwork;
import io.berth.agent.docker.ContainerListing;
import io.berth.agent.docker.ContainerRuntime;
import io.berth.agent.docker.ContainerSetup;
import io.berth.agent.docker.CreateBodies;
import io.berth.agent.docker.RegistryAuth;
import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.MountPoint;
import io.berth.model.acs.VolumeFrom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a task's containers into existence: adopts one an earlier run already created, else pulls its image (as
 * the pull behaviour says), builds its environment and Docker settings, and creates it (in the task's cgroup when
 * the task has a size, in the task's network namespace when it has one). Used by the task's thread
 * only; it also keeps when the task's image pulls started and stopped, for the reports.
 */
final class ContainerCreation {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerCreation.class);

    private final AcsTask task;
    private final ContainerRuntime runtime;
    private final EngineSettings settings;
    private final TaskHooks hooks;
    private final TaskNames names;
    private final TaskVolumes volumes;
    private final TaskCgroup cgroup;
    private final TaskNetwork network;
    private final Map<String, TaskContainer> containers;
    private Instant pullStartedAt;
    private Instant pullStoppedAt;

    ContainerCreation(AcsTask task, ContainerRuntime runtime, EngineSettings settings, TaskHooks hooks,
            TaskNames names, TaskVolumes volumes, TaskCgroup cgroup, TaskNetwork network,
            Map<String, TaskContainer> containers) {
        this.task = task;
        this.runtime = runtime;
        this.settings = settings;
        this.hooks = hooks;
        this.names = names;
        this.volumes = volumes;
        this.cgroup = cgroup;
        this.network = network;
        this.containers = containers;
    }

    /** Takes back the pull times an earlier run recorded. */
    void restore(Instant savedPullStartedAt, Instant savedPullStoppedAt) {
        pullStartedAt = savedPullStartedAt;
        pullStoppedAt = savedPullStoppedAt;
    }

    Instant pullStartedAt() {
        return pullStartedAt;
    }

    Instant pullStoppedAt() {
        return pullStoppedAt;
    }

    /**
     * Gives the container a Docker container: the one already labelled for it, or a new one. Failures carry the
     * official agent's error name for the step that failed.
     */
    void create(TaskContainer container) {
        ContainerListing existing = findExisting(container);
        if (existing != null) {
            container.dockerId = existing.id();
            container.dockerName = existing.name();
            LOG.info("Task {}: adopted container {} ({})", task.arn(), container.name(), existing.id());
            return;
        }
        RegistryAuth auth = fromHook(() -> hooks.registryAuth(task, container.definition));
        try {
            pullImage(container.definition.image(), auth);
        } catch (RuntimeException e) {
            throw new ContainerStepException("CannotPullContainerError", e);
        }
        container.known = Status.PULLED;
        ContainerSetup setup = setupOf(container);
        try {
            ObjectNode body = CreateBodies.of(setup);
            network.join(body);
            hooks.createBody(task, container.definition, body);
            container.dockerName = names.dockerName(container.name());
            container.dockerId = runtime.create(container.dockerName, body);
        } catch (RuntimeException e) {
            throw new ContainerStepException("CannotCreateContainerError", e);
        }
        container.createdAt = Instant.now();
        container.known = Status.CREATED;
    }

    private ContainerListing findExisting(TaskContainer container) {
        try {
            return runtime.listByLabel(EcsLabels.TASK_ARN, task.arn()).stream()
                    .filter(c -> container.name().equals(c.labels().get(EcsLabels.CONTAINER_NAME)))
                    .findFirst().orElse(null);
        } catch (RuntimeException e) {
            throw new ContainerStepException("CannotCreateContainerError", e);
        }
    }

    private void pullImage(String image, RegistryAuth auth) {
        ImagePullBehavior behavior = settings.imagePullBehavior();
        boolean cached = behavior != ImagePullBehavior.ALWAYS && runtime.imageExists(image);
        if (cached && (behavior == ImagePullBehavior.ONCE || behavior == ImagePullBehavior.PREFER_CACHED)) {
            return;
        }
        Instant started = Instant.now();
        try {
            runtime.pull(image, auth);
        } catch (RuntimeException e) {
            if (behavior == ImagePullBehavior.DEFAULT && (cached || runtime.imageExists(image))) {
                LOG.info("Task {}: pulling {} failed, using the cached image: {}", task.arn(), image, e.getMessage());
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

    /** The container's environment: its definition's, then the metadata and credentials variables, then the hooks'. */
    private Map<String, String> environmentOf(TaskContainer container) {
        AcsContainer definition = container.definition;
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
        return fromHook(() -> hooks.environment(task, definition, environment));
    }

    /** What a hook answers; a hook that fails stops the task with its words. */
    private static <T> T fromHook(Supplier<T> call) {
        try {
            return call.get();
        } catch (TaskSetupException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TaskSetupException(e.getMessage());
        }
    }

    private ContainerSetup setupOf(TaskContainer container) {
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
        Map<String, String> environment = environmentOf(container);
        List<String> links = new ArrayList<>();
        if (definition.links() != null) {
            for (String link : definition.links()) {
                String[] parts = link.split(":", 2);
                TaskContainer target = containers.get(parts[0]);
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
                binds.add(volumes.sourceOf(container, mount) + ":" + mount.containerPath()
                        + (Boolean.TRUE.equals(mount.readOnly()) ? ":ro" : ""));
            }
        }
        List<String> volumesFrom = new ArrayList<>();
        if (definition.volumesFrom() != null) {
            for (VolumeFrom from : definition.volumesFrom()) {
                TaskContainer source = containers.get(from.sourceContainer());
                if (source == null || source.dockerName == null) {
                    throw new TaskSetupException("Container " + container.name() + " takes volumes from unknown "
                            + "container " + from.sourceContainer());
                }
                volumesFrom.add(source.dockerName + (Boolean.TRUE.equals(from.readOnly()) ? ":ro" : ""));
            }
        }
        return new ContainerSetup(definition, command, names.labels(container.name()), environment, links, binds,
                volumesFrom, cgroup.parent());
    }
}
