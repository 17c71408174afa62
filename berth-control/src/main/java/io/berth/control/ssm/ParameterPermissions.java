package io.berth.control.ssm;

import io.berth.control.Caller;
import io.berth.control.access.ServiceAccess;
import io.berth.control.iam.AccessRequest;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each parameter operation asks IAM: {@code ssm:<Operation>} on the parameter's ARN with its
 * current tags ({@code aws:ResourceTag/…}) and the tags a request sets ({@code aws:RequestTag/…},
 * {@code aws:TagKeys}); and the {@code kms:} action a SecureString under a customer key needs.
 */
final class ParameterPermissions {

    private final ServiceAccess access;

    ParameterPermissions(ServiceAccess access) {
        this.access = access;
    }

    /** {@code ssm:<action>} on the named parameter, which may not exist (then it has no tags). */
    void require(Caller caller, String action, String name, StoredParameter existing) {
        require(caller, action, name, existing, Map.of(), List.of());
    }

    void require(Caller caller, String action, String name, StoredParameter existing, Map<String, String> requestTags,
            Collection<String> tagKeys) {
        Map<String, List<String>> context = new HashMap<>();
        if (existing != null) {
            existing.tags().forEach((key, value) -> context.put("aws:ResourceTag/" + key, List.of(value)));
        }
        requestTags.forEach((key, value) -> context.put("aws:RequestTag/" + key, List.of(value)));
        if (!tagKeys.isEmpty()) {
            context.put("aws:TagKeys", List.copyOf(tagKeys));
        }
        access.require(caller, new AccessRequest("ssm:" + action, Parameters.arn(caller.scope(), name), context));
    }

    /** {@code ssm:<action>} on a resource that is no parameter: {@code *} or a hierarchy path. */
    void requireOn(Caller caller, String action, String resource) {
        access.require(caller, new AccessRequest("ssm:" + action, resource));
    }

    /** {@code kms:<action>} on the key of a SecureString, unless it is the AWS managed key, which needs none. */
    void requireKey(Caller caller, String kmsAction, String keyId) {
        if (keyId != null && !Parameters.DEFAULT_KEY_ID.equals(keyId)) {
            access.require(caller, new AccessRequest("kms:" + kmsAction,
                    ServiceAccess.kmsKeyArn(caller.scope(), keyId)));
        }
    }
}
