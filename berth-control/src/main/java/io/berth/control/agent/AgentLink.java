package io.berth.control.agent;

import io.berth.control.Scope;
import io.berth.model.acs.AcsTask;
import java.util.List;

/**
 * The way to the agents: the server's websocket sessions. Delivery is best effort; an agent that is
 * not connected gets every task it should know about when it connects again.
 */
@FunctionalInterface
public interface AgentLink {

    void send(Scope scope, String containerInstanceArn, List<AcsTask> tasks);
}
