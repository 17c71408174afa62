package io.berth.control.task;

import io.berth.control.state.Region;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The tasks placed on each container instance that have not stopped, as committed: what an
 * instance's agent is told to hold, found without scanning the cluster's whole task history.
 * Concurrent maps, so it can be read without the region's lock, as the region's own tables are.
 */
public final class LiveTasksByInstance implements Region.View<Task> {

    private static final Object KEY = LiveTasksByInstance.class;

    /** By container instance ARN: the live tasks by stored id. */
    private final Map<String, ConcurrentSkipListMap<String, Task>> byInstance = new ConcurrentHashMap<>();

    private LiveTasksByInstance() {
    }

    /**
     * The tasks on the instance that have not stopped, in id order. The view follows the region's writer, which may
     * be ahead of the store; each task is read again from the region, so a reader outside a write sees each as the
     * store holds it and none the store does not hold. A task reported stopped is left out as soon as the report is
     * committed, a moment before it is durable: it has stopped on its agent already.
     */
    public static Collection<Task> of(Region region, String containerInstanceArn) {
        ConcurrentSkipListMap<String, Task> tasks = region.view(Tasks.KIND, KEY, LiveTasksByInstance::new)
                .byInstance.get(containerInstanceArn);
        if (tasks == null) {
            return List.of();
        }
        List<Task> live = new ArrayList<>();
        for (String id : tasks.keySet()) {
            region.get(Tasks.KIND, id)
                    .filter(task -> isLive(task) && task.containerInstanceArn().equals(containerInstanceArn))
                    .ifPresent(live::add);
        }
        return live;
    }

    /** How many tasks on the instance have not stopped, as committed, without reading them. */
    public static int count(Region region, String containerInstanceArn) {
        ConcurrentSkipListMap<String, Task> tasks = region.view(Tasks.KIND, KEY, LiveTasksByInstance::new)
                .byInstance.get(containerInstanceArn);
        return tasks == null ? 0 : tasks.size();
    }

    @Override
    public void changed(String id, Task before, Task after) {
        if (isLive(before) && !(isLive(after) && before.containerInstanceArn().equals(after.containerInstanceArn()))) {
            ConcurrentSkipListMap<String, Task> tasks = byInstance.get(before.containerInstanceArn());
            if (tasks != null) {
                tasks.remove(id);
            }
        }
        if (isLive(after)) {
            byInstance.computeIfAbsent(after.containerInstanceArn(), k -> new ConcurrentSkipListMap<>()).put(id, after);
        }
    }

    private static boolean isLive(Task task) {
        return task != null && !Tasks.STOPPED.equals(task.lastStatus()) && task.containerInstanceArn() != null;
    }
}
