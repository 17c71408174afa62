package io.berth.control.task;

import io.berth.control.state.Region;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
    /** By cluster name: the instances whose counts changed since {@link #takeChanged} last asked. */
    private final Map<String, Set<String>> changedByCluster = new HashMap<>();

    static LiveTaskGroups of(Region region) {
        return region.view(Tasks.KIND, KEY, LiveTaskGroups::new);
    }

    /** The counts of one cluster's instances by ARN; instances without live tasks are absent. */
    Map<String, Map<String, Integer>> of(String clusterName) {
        return byCluster.getOrDefault(clusterName, Map.of());
    }

    /**
     * The ARNs of the cluster's instances whose counts changed since the last call, which forgets them: for the one
     * reader that keeps a counted copy of the cluster's instances ({@link ClusterInstanceLoads}).
     */
    Set<String> takeChanged(String clusterName) {
        Set<String> changed = changedByCluster.remove(clusterName);
        return changed == null ? Set.of() : changed;
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
        changedByCluster.computeIfAbsent(clusterName, k -> new HashSet<>()).add(task.containerInstanceArn());
        if (groups.isEmpty()) {
            instances.remove(task.containerInstanceArn());
        } else {
            instances.put(task.containerInstanceArn(), Map.copyOf(groups));
        }
    }
}
