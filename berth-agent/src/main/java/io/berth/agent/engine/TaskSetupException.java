package io.berth.agent.engine;

/** A task that cannot be set up as sent (a missing volume, an unknown linked container...); it stops with this reason. */
final class TaskSetupException extends RuntimeException {

    TaskSetupException(String message) {
        super(message);
    }
}
