package io.berth.agent.engine;

import io.berth.agent.cgroup.TaskCgroups;
import io.berth.agent.cgroup.TaskSize;
import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.AcsTask;
import java.io.UncheckedIOException;

/**
 * The cgroup of one task with a task-level size: made before its first container is created, removed once the task
 * has stopped (or, failing that, when it is cleaned up). A task without a size has none, and its containers are
 * limited by their own cpu and memory only. Used by the task's thread only.
 */
final class TaskCgroup {

    private final AcsTask task;
    private final String taskId;
    private final TaskSize size;
    private final TaskCgroups cgroups;
    private boolean created;
    private String parent;
    private boolean removed;

    TaskCgroup(AcsTask task, String taskId, TaskCgroups cgroups) {
        this.task = task;
        this.taskId = taskId;
        this.size = new TaskSize(task.cpu(), task.memory());
        this.cgroups = cgroups;
    }

    /** The cgroup parent for the task's containers, made on first use; null when the task has no size to enforce. */
    String parent() {
        if (!created) {
            checkContainersFit();
            try {
                parent = cgroups.create(taskId, size).orElse(null);
            } catch (UncheckedIOException e) {
                throw new TaskSetupException(e.getMessage());
            }
            created = true;
        }
        return parent;
    }

    /** Removes the task's cgroup, unless it is gone already or the task never had one. */
    void remove() {
        if (size.set() && !removed) {
            removed = cgroups.remove(taskId);
        }
    }

    /** As the official agent refuses it: no container may have a hard memory limit above the task's. */
    private void checkContainersFit() {
        if (!size.limitsMemory()) {
            return;
        }
        for (AcsContainer container : task.containers()) {
            if (container.memory() != null && container.memory() > size.memoryMib()) {
                throw new TaskSetupException("container memory limit(" + container.memory()
                        + ") greater than task memory limit(" + size.memoryMib() + ")");
            }
        }
    }
}
