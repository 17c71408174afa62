package io.berth.control.iam;

import io.berth.control.iam.policy.MalformedPolicyException;
import io.berth.control.iam.policy.PolicyDocument;
import io.berth.model.EcsException;

/**
 * The checks IAM makes on a policy document before storing it: present, within its size quota and
 * valid in the policy language for its kind (identity or trust).
 */
final class PolicyDocuments {

    private PolicyDocuments() {
    }

    /** An identity policy whose non-whitespace size fits the quota. */
    static String requireIdentityPolicy(String member, String document, int quota) {
        return require(member, document, PolicyDocument.Kind.IDENTITY, quota);
    }

    /** A role's trust policy. */
    static String requireTrustPolicy(String member, String document) {
        return require(member, document, PolicyDocument.Kind.TRUST, PolicyDocument.TRUST_SIZE_LIMIT);
    }

    static EcsException policySizeExceeded(int quota) {
        return new EcsException("LimitExceeded", 409, "Cannot exceed quota for PolicySize: " + quota);
    }

    private static String require(String member, String document, PolicyDocument.Kind kind, int quota) {
        IamErrors.required(member, document);
        if (document.isEmpty()) {
            throw IamErrors.constraint(member, document, "Member must have length greater than or equal to 1");
        }
        if (!PolicyDocument.fitsWithin(document, quota)) {
            throw policySizeExceeded(quota);
        }
        try {
            PolicyDocument.parse(document, kind);
        } catch (MalformedPolicyException e) {
            throw IamErrors.malformedPolicy(e.getMessage());
        }
        return document;
    }
}
