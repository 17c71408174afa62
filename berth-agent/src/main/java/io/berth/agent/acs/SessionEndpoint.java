package io.berth.agent.acs;

/**
 * Where a session connects, asked before every connection. It is told when the endpoint it gave could not be reached
 * or turned the session away as unavailable, so that its next answer may differ: a control plane of several nodes
 * moves its agents to whichever node leads.
 */
@FunctionalInterface
public interface SessionEndpoint {

    String get();

    /** The last endpoint given could not be reached, or was not serving agents. */
    default void unreachable() {
    }
}
