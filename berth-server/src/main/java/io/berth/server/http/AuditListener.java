package io.berth.server.http;

import io.berth.control.audit.AuditTrail;
import io.berth.control.audit.AuditedCall;

/**
 * Hands every authenticated call to the audit trail, which keeps those that change something; the
 * trail is durable when this returns, before the answer goes out. A call that was not authenticated
 * belongs to no account and is in no trail.
 */
public final class AuditListener implements ApiCall.Listener {

    private final AuditTrail trail;

    public AuditListener(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public void answered(ApiCall call) {
        if (call.caller() == null) {
            return;
        }
        trail.record(new AuditedCall(call.started(), call.caller().scope(), call.caller().principalArn(),
                call.accessKeyId(), call.sourceIp(), call.userAgent(), call.service(), call.operation(),
                call.requestId(), call.jsonBody(), call.queryParameters(), call.errorCode()));
    }
}
