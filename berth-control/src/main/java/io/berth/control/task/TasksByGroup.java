package io.berth.control.task;

import io.berth.control.state.Region;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Every task of each cluster by its group, stopped ones included, in id order as the cluster's
 * tasks are: a service scheduler reads its own tasks from here instead of filtering the cluster's
 * whole task history on every step. Committed tasks only, and read under the region's write lock.
 */
public final class TasksByGroup implements Region.View<Task> {

    private static final Object KEY = TasksByGroup.class;

    /** By cluster name, then group: the tasks by stored id. */
    private final Map<String, Map<String, TreeMap<String, Task>>> byCluster = new HashMap<>();

    private TasksByGroup() {
    }

    /** The committed tasks of the cluster's group, in id order; to be read inside a write of the region. */
    public static Collection<Task> of(Region region, String clusterName, String group) {
        TreeMap<String, Task> tasks = region.view(Tasks.KIND, KEY, TasksByGroup::new).byCluster
                .getOrDefault(clusterName, Map.of()).get(group);
        return tasks == null ? List.of() : tasks.values();
    }

    @Override
    public void changed(String id, Task before, Task after) {
        String clusterName = id.substring(0, id.indexOf('/'));
        if (before != null && (after == null || !String.valueOf(before.group()).equals(String.valueOf(after.group())))) {
            Map<String, TreeMap<String, Task>> groups = byCluster.get(clusterName);
            TreeMap<String, Task> tasks = groups == null ? null : groups.get(String.valueOf(before.group()));
            if (tasks != null) {
                tasks.remove(id);
            }
        }
        if (after != null) {
            byCluster.computeIfAbsent(clusterName, k -> new HashMap<>())
                    .computeIfAbsent(String.valueOf(after.group()), k -> new TreeMap<>()).put(id, after);
        }
    }
}
