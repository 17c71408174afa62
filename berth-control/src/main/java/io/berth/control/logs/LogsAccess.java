package io.berth.control.logs;

import io.berth.control.Caller;
import io.berth.control.Scope;
import io.berth.control.access.AccessControl;
import io.berth.control.iam.AccessRequest;
import io.berth.control.iam.Authorizer;
import io.berth.control.iam.Decision;
import io.berth.model.EcsException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * IAM for CloudWatch Logs: every call is asked of the authorizer as {@code logs:<Operation>} on the
 * ARN of the log group or log stream it acts on, and refused with Logs' AccessDeniedException. A
 * group-level call is also allowed by a statement on the group's streams ({@code log-group:name:*}),
 * as AWS allows it.
 */
final class LogsAccess {

    private final Authorizer authorizer;
    private final Clock clock;

    LogsAccess(Authorizer authorizer, Clock clock) {
        this.authorizer = authorizer;
        this.clock = clock;
    }

    /** {@code arn:<partition>:logs:<region>:<account>:log-group:<name>} */
    static String groupArn(Scope scope, String group) {
        return "arn:" + scope.partition() + ":logs:" + scope.region() + ":" + scope.account() + ":log-group:" + group;
    }

    /** {@code arn:<partition>:logs:<region>:<account>:log-group:<group>:log-stream:<stream>} */
    static String streamArn(Scope scope, String group, String stream) {
        return groupArn(scope, group) + ":log-stream:" + stream;
    }

    /**
     * The group named by an ARN of this caller's account and region ({@code …:log-group:name}, with or
     * without {@code :*}), or null when the ARN is not one.
     */
    static String groupNameOf(Scope scope, String arn) {
        String prefix = groupArn(scope, "");
        if (arn == null || !arn.startsWith(prefix)) {
            return null;
        }
        String name = arn.substring(prefix.length());
        return name.endsWith(":*") ? name.substring(0, name.length() - 2) : name;
    }

    /** An action on a log group (or, with a null name, on no group in particular: a listing). */
    void onGroup(Caller caller, String operation, String group) {
        onGroup(caller, operation, group, Map.of());
    }

    void onGroup(Caller caller, String operation, String group, Map<String, List<String>> requestKeys) {
        Scope scope = caller.scope();
        String groupArn = groupArn(scope, group == null ? "" : group);
        decide(caller, "logs:" + operation, requestKeys, groupArn, groupArn + ":log-stream:");
    }

    void onStream(Caller caller, String operation, String group, String stream) {
        decide(caller, "logs:" + operation, Map.of(), streamArn(caller.scope(), group, stream));
    }

    /** Allowed when one of the resources is allowed and none is denied outright; refused naming the first. */
    private void decide(Caller caller, String action, Map<String, List<String>> requestKeys, String... resources) {
        Map<String, List<String>> context = new HashMap<>(AccessControl.globalKeys(caller, clock.instant()));
        context.putAll(requestKeys);
        boolean allowed = false;
        for (String resource : resources) {
            Decision decision = authorizer.decide(caller, new AccessRequest(action, resource, context));
            if (decision == Decision.EXPLICIT_DENY) {
                throw denied(caller, action, resources[0], true);
            }
            allowed |= decision.allowed();
        }
        if (!allowed) {
            throw denied(caller, action, resources[0], false);
        }
    }

    private static RuntimeException denied(Caller caller, String action, String resource, boolean explicit) {
        return EcsException.accessDenied(AccessControl.message(caller, new AccessRequest(action, resource),
                explicit ? Decision.EXPLICIT_DENY : Decision.IMPLICIT_DENY));
    }
}
