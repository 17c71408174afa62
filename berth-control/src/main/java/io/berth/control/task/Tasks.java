package io.berth.control.task;

import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import io.berth.control.state.Region;
import software.amazon.awssdk.services.ecs.model.Task;

/** The task kind and the lookups other families use. */
public final class Tasks {

    /** Stored tasks, keyed by {@code <cluster name>/<task id>}. */
    public static final Kind<Task> KIND = Kinds.json("task", Task.class);

    /** Tasks of a cluster by their last reported status. */
    public record Counts(int running, int pending) {
    }

    private Tasks() {
    }

    public static Counts counts(Region region, String clusterName) {
        int running = 0;
        int pending = 0;
        for (Task task : region.withPrefix(KIND, clusterName + "/")) {
            if ("RUNNING".equals(task.lastStatus())) {
                running++;
            } else if ("PENDING".equals(task.lastStatus()) || "PROVISIONING".equals(task.lastStatus())) {
                pending++;
            }
        }
        return new Counts(running, pending);
    }
}
