package io.berth.control.audit;

import io.berth.control.Scope;
import java.util.UUID;

/**
 * Records the calls worth recording ({@link AuditedOperations}) into the store, durably before
 * {@link #record} returns, so the edge can record a call before its answer goes out.
 */
public final class AuditTrail {

    private static final String GLOBAL_REGION = "aws-global";

    private final AuditStore store;

    public AuditTrail(AuditStore store) {
        this.store = store;
    }

    /** Records the call when it changed (or tried to change) something; answers whether it did. */
    public boolean record(AuditedCall call) {
        AuditedOperations.Kind kind = AuditedOperations.kind(call.service(), call.operation());
        if (kind == AuditedOperations.Kind.IGNORED || call.scope() == null || call.principalArn() == null) {
            return false;
        }
        store.append(recordOf(call, kind == AuditedOperations.Kind.RECORDED_READ));
        return true;
    }

    static AuditRecord recordOf(AuditedCall given, boolean readOnly) {
        AuditedCall call = given.in(regionOf(given));
        String eventId = UUID.randomUUID().toString();
        String eventSource = AuditedOperations.eventSource(call.service());
        UserIdentity identity = UserIdentity.of(call.principalArn(), call.scope().account());
        RequestNames request = RequestNames.of(call);
        return new AuditRecord(call.scope().key(), eventId, call.time().toEpochMilli(), call.operation(), eventSource,
                readOnly, identity.username(), call.accessKeyId(), request.resources(),
                CloudTrailEvents.document(call, eventId, eventSource, readOnly, identity, request));
    }

    /**
     * Where CloudTrail files a call: IAM is global and its events, like those of STS's global endpoint
     * ({@code aws-global}), are in the event history of the partition's first region.
     */
    private static Scope regionOf(AuditedCall call) {
        Scope scope = call.scope();
        if (!"iam".equals(call.service()) && !GLOBAL_REGION.equals(scope.region())) {
            return scope;
        }
        String home = switch (scope.partition()) {
            case "aws-cn" -> "cn-north-1";
            case "aws-us-gov" -> "us-gov-west-1";
            default -> "us-east-1";
        };
        return new Scope(scope.partition(), scope.account(), home);
    }
}
