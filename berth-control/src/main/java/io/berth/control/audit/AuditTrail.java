package io.berth.control.audit;

import java.util.UUID;

/**
 * Records the calls worth recording ({@link AuditedOperations}) into the store, durably before
 * {@link #record} returns, so the edge can record a call before its answer goes out.
 */
public final class AuditTrail {

    private final AuditStore store;

    public AuditTrail(AuditStore store) {
        this.store = store;
    }

    /** Records the call when it changed (or tried to change) something; answers whether it did. */
    public boolean record(AuditedCall call) {
        AuditedOperations.Kind kind = AuditedOperations.kind(call.service(), call.operation(), call.errorCode());
        if (kind == AuditedOperations.Kind.IGNORED || call.scope() == null || call.principalArn() == null) {
            return false;
        }
        store.append(recordOf(call, kind == AuditedOperations.Kind.RECORDED_READ));
        return true;
    }

    static AuditRecord recordOf(AuditedCall call, boolean readOnly) {
        String eventId = UUID.randomUUID().toString();
        String eventSource = AuditedOperations.eventSource(call.service());
        UserIdentity identity = UserIdentity.of(call.principalArn(), call.scope().account());
        RequestNames request = RequestNames.of(call);
        return new AuditRecord(call.scope().key(), eventId, call.time().toEpochMilli(), call.operation(), eventSource,
                readOnly, identity.username(), call.accessKeyId(), request.resources(),
                CloudTrailEvents.document(call, eventId, eventSource, readOnly, identity, request));
    }
}
