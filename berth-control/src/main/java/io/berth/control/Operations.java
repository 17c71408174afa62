package io.berth.control;

import software.amazon.awssdk.services.ecs.model.EcsRequest;
import software.amazon.awssdk.services.ecs.model.EcsResponse;

/**
 * The table of ECS operations by name. Each service of the control plane adds the operations it
 * answers; the edge looks a request's {@code X-Amz-Target} up here.
 */
public interface Operations {

    /** One ECS operation: the SDK request shape in, the SDK response shape out. */
    @FunctionalInterface
    interface Handler<Q extends EcsRequest, R extends EcsResponse> {
        R handle(Caller caller, Q request);
    }

    <Q extends EcsRequest, R extends EcsResponse> void add(String name, Class<Q> requestType, Handler<Q, R> handler);
}
