package io.berth.control.iam.policy;

import io.berth.control.iam.AccessRequest;
import io.berth.control.iam.Decision;
import java.util.List;

/**
 * Decides requests the way IAM does: a matching Deny statement wins over everything, else a matching
 * Allow statement allows, else the request is implicitly denied. The account root is not bound by
 * identity policies and may do everything.
 */
public final class PolicyEvaluator {

    private static final String IDENTITY = "identity-based";
    private static final String RESOURCE = "resource-based";

    private PolicyEvaluator() {
    }

    /** The decision of a principal's identity policies on one request. */
    public static Decision evaluate(List<PolicyDocument> identityPolicies, String principalArn, AccessRequest request) {
        return evaluateExplained(identityPolicies, principalArn, request).decision();
    }

    /** As {@link #evaluate}, with the statement that decided and the reason AWS would give. */
    public static Evaluation evaluateExplained(List<PolicyDocument> identityPolicies, String principalArn,
            AccessRequest request) {
        Principal principal = Principal.aws(principalArn);
        if (principal.isAccountRoot()) {
            return new Evaluation(Decision.ALLOW, -1, null, "as the account root");
        }
        RequestContext context = new RequestContext(request, principal);
        int allowedBy = -1;
        String allowingSid = null;
        for (int p = 0; p < identityPolicies.size(); p++) {
            List<Statement> statements = identityPolicies.get(p).statements();
            for (int s = 0; s < statements.size(); s++) {
                Statement statement = statements.get(s);
                if (statement.allow() && allowedBy >= 0) {
                    continue;
                }
                if (statement.applies(context)) {
                    if (!statement.allow()) {
                        return denied(p, statement, IDENTITY);
                    }
                    allowedBy = p;
                    allowingSid = statement.sid();
                }
            }
        }
        return decided(allowedBy, allowingSid, request, IDENTITY);
    }

    /** The decision of a resource or trust policy on one request by the given principal. */
    public static Decision evaluateResourcePolicy(PolicyDocument policy, Principal caller, AccessRequest request) {
        return evaluateResourcePolicyExplained(policy, caller, request).decision();
    }

    public static Evaluation evaluateResourcePolicyExplained(PolicyDocument policy, Principal caller,
            AccessRequest request) {
        RequestContext context = new RequestContext(request, caller);
        boolean allowed = false;
        String allowingSid = null;
        for (Statement statement : policy.statements()) {
            if (statement.allow() && allowed) {
                continue;
            }
            if (statement.appliesTo(caller, context)) {
                if (!statement.allow()) {
                    return denied(0, statement, RESOURCE);
                }
                allowed = true;
                allowingSid = statement.sid();
            }
        }
        return decided(allowed ? 0 : -1, allowingSid, request, RESOURCE);
    }

    /**
     * Whether a role's trust policy lets the caller assume the role. The request names the action
     * ({@code sts:AssumeRole}) and the role ARN, with any condition keys of the call.
     */
    public static boolean allowsAssume(PolicyDocument trustPolicy, Principal caller, AccessRequest request) {
        return evaluateResourcePolicy(trustPolicy, caller, request).allowed();
    }

    private static Evaluation denied(int policyIndex, Statement statement, String policyType) {
        return new Evaluation(Decision.EXPLICIT_DENY, policyIndex, statement.sid(),
                "with an explicit deny in " + article(policyType) + " " + policyType + " policy");
    }

    private static Evaluation decided(int allowedBy, String sid, AccessRequest request, String policyType) {
        if (allowedBy >= 0) {
            return new Evaluation(Decision.ALLOW, allowedBy, sid, "allowed by " + article(policyType) + " "
                    + policyType + " policy");
        }
        return new Evaluation(Decision.IMPLICIT_DENY, -1, null,
                "because no " + policyType + " policy allows the " + request.action() + " action");
    }

    private static String article(String policyType) {
        return policyType.equals(IDENTITY) ? "an" : "a";
    }
}
