package io.berth.control.agent;

import io.berth.control.Scope;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.IAMRoleCredentialsMessage;
import java.util.List;

/**
 * The way to the agents: the server's websocket sessions. Delivery is best effort; an agent that is
 * not connected gets every task it should know about when it connects again.
 */
public interface AgentLink {

    void send(Scope scope, String containerInstanceArn, List<AcsTask> tasks);

    /** Fresh role credentials of a task on the instance; the agent acknowledges them by credentials id. */
    void sendCredentials(Scope scope, String containerInstanceArn, IAMRoleCredentialsMessage credentials);
}
