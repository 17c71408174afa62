package io.berth.control.instance;

import io.berth.control.ControlPlane;
import io.berth.control.Operations;
import io.berth.control.state.State;
import java.time.Clock;

/** Container instances: registration, state, attributes, and the agent's poll endpoint. */
public final class ContainerInstanceService {

    private final State state;
    private final Clock clock;
    private final ControlPlane.Endpoints endpoints;

    public ContainerInstanceService(State state, Clock clock, ControlPlane.Endpoints endpoints) {
        this.state = state;
        this.clock = clock;
        this.endpoints = endpoints;
    }

    public void addTo(Operations operations) {
    }
}
