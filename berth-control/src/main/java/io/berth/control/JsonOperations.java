package io.berth.control;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;

/**
 * The table of one AWS JSON 1.1 service's operations by name (CloudWatch Logs, SSM, Secrets
 * Manager, ...): each operation takes the SDK request shape of that service and answers its
 * response shape. The edge finds the table by the {@code X-Amz-Target} prefix; the service decides
 * itself, with the caller, whether the call is allowed.
 */
public interface JsonOperations {

    /** One operation: the SDK request shape in, the SDK response shape out. */
    @FunctionalInterface
    interface Handler<Q extends SdkRequest, R extends SdkResponse> {
        R handle(Caller caller, Q request);
    }

    <Q extends SdkRequest, R extends SdkResponse> void add(String name, Class<Q> requestType, Handler<Q, R> handler);
}
