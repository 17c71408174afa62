package io.berth.agent.awsvpc;

/** A task's network namespace could not be set up, or was lost; the task stops with this reason. */
public final class NetworkSetupException extends RuntimeException {

    NetworkSetupException(String message, Throwable cause) {
        super(message, cause);
    }

    NetworkSetupException(String message) {
        super(message);
    }
}
