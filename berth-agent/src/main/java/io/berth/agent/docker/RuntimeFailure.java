package io.berth.agent.docker;

/** A container runtime call that failed; the message is the runtime's own explanation. */
public final class RuntimeFailure extends RuntimeException {

    public RuntimeFailure(String message, Throwable cause) {
        super(message, cause);
    }

    public RuntimeFailure(String message) {
        super(message);
    }
}
