package io.berth.agent.engine;

/** A task from the control plane that cannot be taken on at all; it is reported STOPPED with this reason. */
public final class InvalidTaskException extends Exception {

    public InvalidTaskException(String message) {
        super(message);
    }
}
