package io.berth.control.secrets;

import io.berth.control.Caller;
import io.berth.control.access.ServiceAccess;
import io.berth.control.iam.AccessRequest;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each secret operation asks IAM: {@code secretsmanager:<Operation>} on the secret's ARN (the
 * ARN a request names when no secret has it) with its tags and the tags a request sets, and the
 * {@code kms:} action a secret under a customer key needs, refused as "Access to KMS is not allowed".
 */
final class SecretPermissions {

    private final ServiceAccess access;

    SecretPermissions(ServiceAccess access) {
        this.access = access;
    }

    /** The action on the secret found, or on the ARN the SecretId names when there is none. */
    void require(Caller caller, String action, String secretId, StoredSecret secret, Map<String, String> requestTags,
            Collection<String> tagKeys) {
        requireOn(caller, action, secret != null ? secret.arn() : resourceOf(caller, secretId), secret, requestTags,
                tagKeys);
    }

    /** The action on the given ARN, as CreateSecret asks it on the ARN it is about to give. */
    void requireOn(Caller caller, String action, String arn, StoredSecret secret, Map<String, String> requestTags,
            Collection<String> tagKeys) {
        Map<String, List<String>> context = new HashMap<>();
        if (secret != null) {
            secret.tags().forEach((key, value) -> context.put("aws:ResourceTag/" + key, List.of(value)));
        }
        requestTags.forEach((key, value) -> context.put("aws:RequestTag/" + key, List.of(value)));
        if (!tagKeys.isEmpty()) {
            context.put("aws:TagKeys", List.copyOf(tagKeys));
        }
        access.require(caller, new AccessRequest("secretsmanager:" + action, arn, context));
    }

    /** The action on {@code *}, for the operations that act on no one secret. */
    void requireAny(Caller caller, String action) {
        access.require(caller, new AccessRequest("secretsmanager:" + action, "*"));
    }

    /** {@code kms:<action>} on a customer key; Secrets Manager's own key needs none. */
    void requireKey(Caller caller, String kmsAction, String keyId) {
        if (keyId == null || Secrets.DEFAULT_KEY_ID.equals(keyId)) {
            return;
        }
        AccessRequest request = new AccessRequest("kms:" + kmsAction, ServiceAccess.kmsKeyArn(caller.scope(), keyId));
        if (!access.decide(caller, request).allowed()) {
            throw SecretsErrors.kmsDenied();
        }
    }

    private static String resourceOf(Caller caller, String secretId) {
        return secretId.startsWith("arn:") ? secretId : Secrets.arnPrefix(caller.scope()) + secretId;
    }
}
