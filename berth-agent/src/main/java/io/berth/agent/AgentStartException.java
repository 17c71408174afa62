package io.berth.agent;

/** The agent cannot start: the control plane refused its registration for good. */
public final class AgentStartException extends RuntimeException {

    public AgentStartException(String message) {
        super(message);
    }

    public AgentStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
