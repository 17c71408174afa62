package io.berth.control.audit;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which calls the trail records, and how CloudTrail names their source. A call is read-only when its
 * operation reads (Describe, List, Get, ...); those are not recorded. STS calls that hand out credentials
 * are recorded, read-only, as CloudTrail records them. PutLogEvents is a data event in CloudTrail, out of
 * its event history, and out of this trail too. A write to an operation Berth does not answer (IAM's
 * CreateLoginProfile) is recorded with its error, as CloudTrail records a refused call; a name that is no
 * operation name at all is not.
 */
final class AuditedOperations {

    /** What a call is to the trail. */
    enum Kind {
        /** Not recorded. */
        IGNORED,
        /** Recorded as a write. */
        WRITE,
        /** Recorded, though it changes nothing, as CloudTrail records it. */
        RECORDED_READ
    }

    private static final List<String> READ_PREFIXES = List.of("Describe", "List", "Get", "Lookup", "Discover",
            "Poll", "BatchGet", "Filter", "Search", "Simulate", "Decode", "Test", "Validate");
    private static final Set<String> CREDENTIAL_CALLS = Set.of("AssumeRole", "AssumeRoleWithWebIdentity",
            "AssumeRoleWithSAML", "GetSessionToken", "GetFederationToken", "AssumeRoot");
    private static final Set<String> DATA_EVENTS = Set.of("PutLogEvents");
    private static final Pattern OPERATION_NAME = Pattern.compile("[A-Z][A-Za-z0-9]{0,99}");
    private static final Map<String, String> EVENT_SOURCES = Map.of("ecs", "ecs.amazonaws.com", "logs",
            "logs.amazonaws.com", "ssm", "ssm.amazonaws.com", "secretsmanager", "secretsmanager.amazonaws.com",
            "iam", "iam.amazonaws.com", "sts", "sts.amazonaws.com", "cloudtrail", "cloudtrail.amazonaws.com");

    private AuditedOperations() {
    }

    static Kind kind(String service, String operation) {
        if (service == null || operation == null || !EVENT_SOURCES.containsKey(service)
                || !OPERATION_NAME.matcher(operation).matches()) {
            return Kind.IGNORED;
        }
        if ("sts".equals(service) && CREDENTIAL_CALLS.contains(operation)) {
            return Kind.RECORDED_READ;
        }
        if (DATA_EVENTS.contains(operation) || isRead(operation)) {
            return Kind.IGNORED;
        }
        return Kind.WRITE;
    }

    static boolean isRead(String operation) {
        for (String prefix : READ_PREFIXES) {
            if (operation.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** {@code ecs.amazonaws.com} for {@code ecs}. */
    static String eventSource(String service) {
        return EVENT_SOURCES.get(service);
    }
}
