package io.berth.agent.engine;

import io.berth.model.acs.AcsTask;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** How the Docker objects of one task are named and labelled, as the official agent names and labels them. */
final class TaskNames {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** The container name of an awsvpc task's pause container, as the official agent labels it. */
    static final String PAUSE_CONTAINER = "~internal~ecs~pause";

    private final AcsTask task;
    private final String cluster;

    TaskNames(AcsTask task, String cluster) {
        this.task = task;
        this.cluster = cluster;
    }

    /** The last segment of the task ARN. */
    String taskId() {
        return task.arn().substring(task.arn().lastIndexOf('/') + 1);
    }

    /** {@code ecs-<family>-<version>-<container>-<random hex>}. */
    String dockerName(String containerName) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        return sanitize("ecs-" + task.family() + "-" + task.version() + "-" + containerName + "-"
                + HexFormat.of().formatHex(random));
    }

    /** Task-scoped volume names are stable per task, so a restarted agent finds the volumes it made. */
    String taskVolumeName(String volumeName) {
        return sanitize("ecs-" + task.family() + "-" + task.version() + "-" + volumeName + "-" + taskId());
    }

    /** The labels of a task container, or of a task volume when {@code containerName} is null. */
    Map<String, String> labels(String containerName) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(EcsLabels.TASK_ARN, task.arn());
        if (containerName != null) {
            labels.put(EcsLabels.CONTAINER_NAME, containerName);
        }
        labels.put(EcsLabels.CLUSTER, cluster);
        labels.put(EcsLabels.FAMILY, task.family());
        labels.put(EcsLabels.VERSION, task.version());
        return labels;
    }

    private static String sanitize(String name) {
        return name.replaceAll("[^a-zA-Z0-9_.-]", "-");
    }
}
