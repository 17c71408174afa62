package io.berth.control.audit;

import io.berth.control.Scope;
import java.time.Instant;
import java.util.Map;

/**
 * An authenticated call as the edge answered it, before it is judged worth recording.
 *
 * @param service the signing name of the service ({@code ecs}, {@code logs}, {@code iam}, ...)
 * @param accessKeyId the key the call was signed with, or null
 * @param jsonBody the body of a JSON request, or null; only allow-listed members are ever read from it
 * @param queryParameters the parameters of a Query request (empty for JSON); only allow-listed ones are read
 * @param errorCode the AWS error code of a refused or failed call, or null for a success
 */
public record AuditedCall(Instant time, Scope scope, String principalArn, String accessKeyId, String sourceIp,
        String userAgent, String service, String operation, String requestId, byte[] jsonBody,
        Map<String, String> queryParameters, String errorCode) {

    /** The same call in another scope. */
    AuditedCall in(Scope other) {
        return new AuditedCall(time, other, principalArn, accessKeyId, sourceIp, userAgent, service, operation,
                requestId, jsonBody, queryParameters, errorCode);
    }
}
