package io.berth.agent.awsvpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;

/**
 * The network of one task's containers, driven by the task's thread. For an awsvpc task it is a namespace of its own
 * held by a pause container; for every other task it is what the containers' definitions say, and each call does
 * nothing.
 */
public interface TaskNetwork {

    /** The network of a task that is not awsvpc. */
    TaskNetwork AS_DEFINED = new TaskNetwork() {
        @Override
        public void setUp(boolean containersCreated, Consumer<String> attached) {
        }

        @Override
        public void awaitRunning() {
        }

        @Override
        public void check() {
        }

        @Override
        public void join(ObjectNode createBody) {
        }

        @Override
        public void tearDown() {
        }
    };

    /**
     * Makes the task's network ready for its containers to be created, adopting what an earlier run made. Does nothing
     * once done.
     *
     * @param containersCreated whether containers of the task exist already: they cannot move to a new namespace
     * @param attached told the attachment ARN to confirm, once the network is up
     * @throws NetworkSetupException when it cannot be set up
     */
    void setUp(boolean containersCreated, Consumer<String> attached);

    /**
     * Before a container of the task starts: waits until the network {@link #setUp} made is up.
     *
     * @throws NetworkSetupException when it did not come up
     */
    void awaitRunning();

    /**
     * While the task runs: checks that its namespace is still there.
     *
     * @throws NetworkSetupException when the namespace is lost
     */
    void check();

    /** Puts a container of the task in its network: changes the Docker create body. */
    void join(ObjectNode createBody);

    /** Once every container of the task has stopped: removes what {@link #setUp} made. Does nothing once done. */
    void tearDown();
}
