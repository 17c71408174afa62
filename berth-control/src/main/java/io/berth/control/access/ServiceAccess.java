package io.berth.control.access;

import io.berth.control.Caller;
import io.berth.control.Scope;
import io.berth.control.iam.AccessRequest;
import io.berth.control.iam.Authorizer;
import io.berth.control.iam.Decision;
import io.berth.model.EcsException;

/**
 * IAM enforcement for the AWS JSON services other than ECS, which decide inside each operation
 * (the request names the resource, the state tells its tags): the account's root may do
 * everything, anyone else needs the authorizer's allow. A refusal is AccessDeniedException with the
 * message AWS writes.
 */
public final class ServiceAccess {

    private final Authorizer authorizer;

    public ServiceAccess(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** Refuses with AccessDeniedException unless the caller may make the request. */
    public void require(Caller caller, AccessRequest request) {
        Decision decision = decide(caller, request);
        if (!decision.allowed()) {
            throw EcsException.accessDenied(AccessControl.message(caller, request, decision));
        }
    }

    /** The decision on the request, ALLOW for an account's root. */
    public Decision decide(Caller caller, AccessRequest request) {
        return AccessControl.isRoot(caller) ? Decision.ALLOW : authorizer.decide(caller, request);
    }

    /**
     * The ARN a KMS key id names, as {@code kms:} actions are asked on: a key ARN or alias ARN as given, an alias
     * name ({@code alias/app}) or a key id as the ARN of this scope.
     */
    public static String kmsKeyArn(Scope scope, String keyId) {
        if (keyId.startsWith("arn:")) {
            return keyId;
        }
        String prefix = "arn:" + scope.partition() + ":kms:" + scope.region() + ":" + scope.account() + ":";
        return prefix + (keyId.startsWith("alias/") ? keyId : "key/" + keyId);
    }
}
