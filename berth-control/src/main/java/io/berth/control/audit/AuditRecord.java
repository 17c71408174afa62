package io.berth.control.audit;

import java.util.List;

/**
 * One recorded call as the store keeps it: the columns LookupEvents selects on, and the CloudTrail
 * event document it answers.
 *
 * @param scope the account and region, {@link io.berth.control.Scope#key()}
 * @param eventTime milliseconds since the epoch
 * @param username the principal's short name (a user's name, a role session's name, {@code root})
 * @param accessKeyId the key the call was signed with, or null
 * @param cloudTrailEvent the event as CloudTrail writes it, a JSON document
 */
public record AuditRecord(String scope, String eventId, long eventTime, String eventName, String eventSource,
        boolean readOnly, String username, String accessKeyId, List<AuditResource> resources,
        String cloudTrailEvent) {

    public AuditRecord {
        resources = List.copyOf(resources);
    }
}
