package io.berth.control.taskdef;

import io.berth.control.Operations;
import io.berth.control.state.State;
import java.time.Clock;

/** Task definitions: register, describe, list, deregister, delete. */
public final class TaskDefinitionService {

    private final State state;
    private final Clock clock;

    public TaskDefinitionService(State state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    public void addTo(Operations operations) {
    }
}
