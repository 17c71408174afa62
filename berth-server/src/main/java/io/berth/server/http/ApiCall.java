package io.berth.server.http;

import io.berth.control.Caller;
import java.time.Instant;
import java.util.Map;

/**
 * One answered API call, as the edge saw it: what metrics count and the audit trail records. Told before the answer
 * goes out, so that a listener that must be durable (the audit trail) is durable before the client hears back.
 *
 * @param requestId the {@code x-amzn-RequestId} of the answer
 * @param service the signing name of the service called ({@code ecs}, {@code logs}, {@code ssm},
 *     {@code secretsmanager}, {@code iam}, {@code sts}), or null when the request named none Berth answers
 * @param operation the operation called, or null when the request named none
 * @param caller who called, or null when the request was not authenticated
 * @param sourceIp where the request came from
 * @param userAgent the client's {@code User-Agent}, or null
 * @param jsonBody the body of a JSON request as read (null for a Query request, or when it was not read)
 * @param queryParameters the parameters of a Query request (empty for a JSON request); secret values included, so a
 *     listener that keeps them must leave those out
 * @param started when the request arrived
 * @param nanos how long it took until the answer was ready
 * @param httpStatus the status of the answer
 * @param errorCode the AWS error code of a refused or failed call, or null for a success
 * @param accessKeyId the key the request was signed with, or null when it was not authenticated
 */
public record ApiCall(String requestId, String service, String operation, Caller caller, String sourceIp,
        String userAgent, byte[] jsonBody, Map<String, String> queryParameters, Instant started, long nanos,
        int httpStatus, String errorCode, String accessKeyId) {

    /** A call whose signing key is not told. */
    public ApiCall(String requestId, String service, String operation, Caller caller, String sourceIp,
            String userAgent, byte[] jsonBody, Map<String, String> queryParameters, Instant started, long nanos,
            int httpStatus, String errorCode) {
        this(requestId, service, operation, caller, sourceIp, userAgent, jsonBody, queryParameters, started, nanos,
                httpStatus, errorCode, null);
    }

    /** True when the call was answered with success. */
    public boolean succeeded() {
        return errorCode == null;
    }

    /** What is told of every answered call; listeners must not throw, and must be quick or worth the wait. */
    @FunctionalInterface
    public interface Listener {

        Listener NONE = call -> { };

        void answered(ApiCall call);

        /** This listener, then {@code next}. */
        default Listener andThen(Listener next) {
            return call -> {
                answered(call);
                next.answered(call);
            };
        }
    }
}
