package io.berth.agent.engine;

import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.AcsTask;
import java.util.Map;

/**
 * Where other parts of the agent join a task's life, each called on the task's own thread. Every method does nothing
 * by default.
 */
public interface TaskHooks {

    TaskHooks NONE = new TaskHooks() {
    };

    /**
     * Before a container is created: returns the environment to create it with, given the one built from its
     * definition (its {@code environment} and the metadata and credentials variables). A runtime exception thrown here
     * stops the task, with the exception's message as the task's stopped reason.
     */
    default Map<String, String> environment(AcsTask task, AcsContainer container, Map<String, String> environment) {
        return environment;
    }

    /** A container of the task has started (once per start this agent saw; again after an agent restart). */
    default void containerStarted(AcsTask task, ContainerRecord container) {
    }

    /** Every container of the task has stopped (once per run of this agent). */
    default void taskStopped(TaskRecord task) {
    }
}
