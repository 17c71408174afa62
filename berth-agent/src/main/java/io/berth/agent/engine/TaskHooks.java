package io.berth.agent.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.agent.docker.RegistryAuth;
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
     * Before a container's image is pulled: the login to pull it with, over the agent's own. A runtime exception thrown
     * here stops the task, with the exception's message as the task's stopped reason.
     */
    default RegistryAuth registryAuth(AcsTask task, AcsContainer container) {
        return RegistryAuth.NONE;
    }

    /**
     * Before a container is created: returns the environment to create it with, given the one built from its
     * definition (its {@code environment} and the metadata and credentials variables). A runtime exception thrown here
     * stops the task, with the exception's message as the task's stopped reason.
     */
    default Map<String, String> environment(AcsTask task, AcsContainer container, Map<String, String> environment) {
        return environment;
    }

    /**
     * Just before a container is created: may change its Docker Engine create body. A runtime exception thrown here
     * fails the container as Docker refusing the body would ({@code CannotCreateContainerError}).
     */
    default void createBody(AcsTask task, AcsContainer container, ObjectNode body) {
    }

    /** A container of the task has started (once per start this agent saw; again after an agent restart). */
    default void containerStarted(AcsTask task, ContainerRecord container) {
    }

    /** Every container of the task has stopped (once per run of this agent). */
    default void taskStopped(TaskRecord task) {
    }

    /**
     * The stopped task's cleanup is due: whether its containers may be removed now. While this says no, the engine
     * asks again at each look, for at most an hour past the due time.
     */
    default boolean readyForCleanup(TaskRecord task) {
        return true;
    }

    /** The task's containers have been removed; it leaves the host. */
    default void taskRemoved(TaskRecord task) {
    }
}
