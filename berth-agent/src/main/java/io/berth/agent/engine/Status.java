package io.berth.agent.engine;

/**
 * What the engine knows of a task or container, in lifecycle order. Only {@link #RUNNING} and {@link #STOPPED} are
 * reported to the control plane; the earlier ones are its {@code PENDING}.
 */
public enum Status {
    NONE, PULLED, CREATED, RUNNING, STOPPED;

    boolean atLeast(Status other) {
        return compareTo(other) >= 0;
    }

    boolean reportable() {
        return this == RUNNING || this == STOPPED;
    }
}
