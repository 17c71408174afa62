package io.berth.control.taskdef;

import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** The task-definition kind and the lookups other families use. */
public final class TaskDefinitions {

    public static final Kind<TaskDefinition> KIND = Kinds.json("task-definition", TaskDefinition.class);

    private TaskDefinitions() {
    }
}
