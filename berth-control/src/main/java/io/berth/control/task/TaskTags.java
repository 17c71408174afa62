package io.berth.control.task;

import io.berth.control.tag.Taggable;
import software.amazon.awssdk.services.ecs.model.Task;

/** Tags of tasks, kept on the stored task for as long as the task is kept. */
public final class TaskTags {

    public static final Taggable<Task> TAGGABLE = Taggable.stored("task", Tasks.KIND, t -> true, Task::tags,
            (t, tags) -> t.toBuilder().tags(tags).build());

    private TaskTags() {
    }
}
