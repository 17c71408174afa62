package io.berth.agent.engine;

import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;

/**
 * Where task state changes go. A call that throws is retried later with the same or a newer change, except an
 * {@code InvalidParameterException}, which the control plane will never accept and is dropped.
 */
@FunctionalInterface
public interface StateReporter {

    void submit(SubmitTaskStateChangeRequest change);
}
