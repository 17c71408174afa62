package io.berth.control.task;

import io.berth.control.Operations;
import io.berth.control.state.State;
import java.time.Clock;

/** Tasks: run, start, stop, describe, list, and the agents' state reports. */
public final class TaskService {

    private final State state;
    private final Clock clock;

    public TaskService(State state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    public void addTo(Operations operations) {
    }
}
