package io.berth.control.task;

import io.berth.control.state.Region;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The tasks of each container instance that have not stopped, counted by group, per cluster:
 * what spread and distinctInstance ask of every instance for every task placed. Kept up to date
 * as tasks are committed, so placing a task does not scan the cluster's whole task history.
 */
final class LiveTaskGroups implements Region.View<Task> {

    /** The key the view is registered under in each region. */
    static final Object KEY = LiveTaskGroups.class;

    /** By cluster name, then container instance ARN: an immutable count per group, never empty. */
    private final Map<String, Map<String, Map<String, Integer>>> byCluster = new HashMap<>();

    static LiveTaskGroups of(Region region) {
        return region.view(Tasks.KIND, KEY, LiveTaskGroups::new);
    }

    /** The counts of one cluster's instances by ARN; instances without live tasks are absent. */
    Map<String, Map<String, Integer>> of(String clusterName) {
        return byCluster.getOrDefault(clusterName, Map.of());
    }

    @Override
    public void changed(String id, Task before, Task after) {
        boolean wasLive = isLive(before);
        boolean isLive = isLive(after);
        if (wasLive && isLive && before.containerInstanceArn().equals(after.containerInstanceArn())
                && String.valueOf(before.group()).equals(String.valueOf(after.group()))) {
            return;
        }
        String clusterName = id.substring(0, id.indexOf('/'));
        if (wasLive) {
            adjust(clusterName, before, -1);
        }
        if (isLive) {
            adjust(clusterName, after, +1);
        }
    }

    private static boolean isLive(Task task) {
        return task != null && !Tasks.STOPPED.equals(task.lastStatus()) && task.containerInstanceArn() != null;
    }

    private void adjust(String clusterName, Task task, int change) {
        Map<String, Map<String, Integer>> instances = byCluster.computeIfAbsent(clusterName, k -> new HashMap<>());
        Map<String, Integer> groups = new HashMap<>(instances.getOrDefault(task.containerInstanceArn(), Map.of()));
        String group = String.valueOf(task.group());
        int count = groups.getOrDefault(group, 0) + change;
        if (count > 0) {
            groups.put(group, count);
        } else {
            groups.remove(group);
        }
        if (groups.isEmpty()) {
            instances.remove(task.containerInstanceArn());
        } else {
            instances.put(task.containerInstanceArn(), Map.copyOf(groups));
        }
    }
}
