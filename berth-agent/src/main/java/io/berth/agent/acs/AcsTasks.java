package io.berth.agent.acs;

import io.berth.agent.engine.InvalidTaskException;
import io.berth.model.acs.AcsTask;
import java.util.Set;

/** What the ACS session hands work to: in production the task engine. */
public interface AcsTasks {

    /** Takes on or updates a task; a task that cannot be loaded is refused (and reported by the engine). */
    void apply(AcsTask task) throws InvalidTaskException;

    /** Sets a task's desired status to STOPPED. */
    void stop(String taskArn);

    /** The tasks this host runs or is about to run. */
    Set<String> desiredRunning();
}
