package io.berth.agent.engine;

import io.berth.agent.docker.ContainerRuntime;
import io.berth.agent.docker.RuntimeFailure;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.AcsVolume;
import io.berth.model.acs.DockerVolumeConfiguration;
import io.berth.model.acs.MountPoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task's volumes: what each one mounts from (a host path, a task-scoped Docker volume or a shared one), and the
 * Docker volumes the task created, which go when the task is cleaned up. Used by the task's thread only.
 */
final class TaskVolumes {

    private final AcsTask task;
    private final ContainerRuntime runtime;
    private final TaskNames names;
    private final List<String> owned = new ArrayList<>();
    private Map<String, String> sources;

    TaskVolumes(AcsTask task, ContainerRuntime runtime, TaskNames names) {
        this.task = task;
        this.runtime = runtime;
        this.names = names;
    }

    /** Takes back what an earlier run set up. */
    void restore(Map<String, String> savedSources, List<String> savedOwned) {
        sources = savedSources == null ? null : new HashMap<>(savedSources);
        owned.addAll(savedOwned);
    }

    boolean ready() {
        return sources != null;
    }

    /** Creates the volumes the task needs; a volume the runtime refuses fails the task's setup. */
    void setUp(Collection<TaskContainer> containers) {
        checkMounts(containers);
        try {
            sources = create();
        } catch (RuntimeFailure e) {
            throw new TaskSetupException(e.getMessage());
        }
    }

    /** What containers mount for a task volume: a host path or a Docker volume name. */
    String sourceOf(TaskContainer container, MountPoint mount) {
        String source = sources.get(mount.sourceVolume());
        if (source == null) {
            throw new TaskSetupException("Container " + container.name() + " mounts unknown volume "
                    + mount.sourceVolume());
        }
        return source;
    }

    /** Removes the Docker volumes this task created. */
    void removeOwned() {
        for (String volume : owned) {
            runtime.removeVolume(volume);
        }
    }

    Map<String, String> sources() {
        return sources;
    }

    List<String> owned() {
        return owned;
    }

    private void checkMounts(Collection<TaskContainer> containers) {
        Map<String, AcsVolume> volumes = new HashMap<>();
        if (task.volumes() != null) {
            task.volumes().forEach(v -> volumes.put(v.name(), v));
        }
        for (TaskContainer container : containers) {
            if (container.definition.mountPoints() == null) {
                continue;
            }
            for (MountPoint mount : container.definition.mountPoints()) {
                if (!volumes.containsKey(mount.sourceVolume())) {
                    throw new TaskSetupException("Container " + container.name() + " mounts unknown volume "
                            + mount.sourceVolume());
                }
            }
        }
    }

    private Map<String, String> create() {
        Map<String, String> created = new HashMap<>();
        if (task.volumes() == null) {
            return created;
        }
        for (AcsVolume volume : task.volumes()) {
            String type = volume.type() == null ? "host" : volume.type();
            switch (type) {
                case "host" -> {
                    if (volume.host().sourcePath() != null && !volume.host().sourcePath().isEmpty()) {
                        created.put(volume.name(), volume.host().sourcePath());
                    } else {
                        String name = names.taskVolumeName(volume.name());
                        ensureVolume(name, "local", null, null);
                        created.put(volume.name(), name);
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
                        created.put(volume.name(), volume.name());
                    } else {
                        String name = names.taskVolumeName(volume.name());
                        ensureVolume(name, config.driver(), config.driverOpts(), config.labels());
                        created.put(volume.name(), name);
                    }
                }
                default -> throw new TaskSetupException("Volume " + volume.name() + " has unsupported type " + type);
            }
        }
        return created;
    }

    private void ensureVolume(String name, String driver, Map<String, String> options, Map<String, String> extraLabels) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (extraLabels != null) {
            labels.putAll(extraLabels);
        }
        labels.putAll(names.labels(null));
        if (!runtime.volumeExists(name)) {
            runtime.createVolume(name, driver, options, labels);
        }
        if (!owned.contains(name)) {
            owned.add(name);
        }
    }
}
