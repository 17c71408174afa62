package io.berth.control.audit;

import io.berth.control.JsonOperations;
import io.berth.control.access.ServiceAccess;
import io.berth.control.iam.Authorizer;
import io.berth.model.EcsException;
import java.time.Clock;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;

/** The CloudTrail API over the audit trail: LookupEvents, held to IAM. */
public final class CloudTrailService {

    /** The {@code X-Amz-Target} prefix of CloudTrail's operations. */
    public static final String TARGET_PREFIX = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";
    /** The service name CloudTrail requests are signed for. */
    public static final String SIGNING_NAME = "cloudtrail";
    /** LookupEvents' requests are small; anything larger is not one. */
    public static final int MAX_BODY_BYTES = 64 << 10;

    private final LookupEvents lookup;

    public CloudTrailService(AuditStore store, Authorizer authorizer, Clock clock) {
        this.lookup = new LookupEvents(store, new ServiceAccess(authorizer), clock);
    }

    public void addTo(JsonOperations operations) {
        operations.add("LookupEvents", LookupEventsRequest.class, lookup::lookup);
    }

    /** The answer to every other CloudTrail operation. */
    public static EcsException unsupported(String operation) {
        return CloudTrailErrors.unsupportedOperation(operation);
    }
}
