package io.berth.agent.engine;

import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;

/** Reports task state changes with {@code SubmitTaskStateChange}. */
public final class EcsStateReporter implements StateReporter {

    private final EcsClient ecs;

    public EcsStateReporter(EcsClient ecs) {
        this.ecs = ecs;
    }

    @Override
    public void submit(SubmitTaskStateChangeRequest change) {
        ecs.submitTaskStateChange(change);
    }
}
