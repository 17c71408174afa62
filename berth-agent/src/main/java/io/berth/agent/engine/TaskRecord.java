package io.berth.agent.engine;

import io.berth.model.acs.AcsTask;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One task as the engine last saw it; also what the checkpoint keeps. {@code volumeSources} maps each task volume
 * to what containers mount (a host path or a Docker volume name); {@code ownedVolumes} are the Docker volumes the
 * task created and removes when it is cleaned up.
 */
public record TaskRecord(
        AcsTask task,
        String desiredStatus,
        Status knownStatus,
        Status sentStatus,
        String reason,
        Instant pullStartedAt,
        Instant pullStoppedAt,
        Instant executionStoppedAt,
        Instant stoppedAt,
        Map<String, String> volumeSources,
        List<String> ownedVolumes,
        List<ContainerRecord> containers) {

    public TaskRecord {
        volumeSources = volumeSources == null ? null : Map.copyOf(volumeSources);
        ownedVolumes = ownedVolumes == null ? List.of() : List.copyOf(ownedVolumes);
        containers = List.copyOf(containers);
    }

    public String arn() {
        return task.arn();
    }

    public ContainerRecord container(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }
}
