package io.berth.control.iam.policy;

import io.berth.control.iam.AccessRequest;
import io.berth.control.iam.Decision;
import java.util.List;

/**
 * Decides requests the way IAM does: a matching Deny statement wins over everything, else a matching
 * Allow statement allows, else the request is implicitly denied. The account root is not bound by
 * identity policies and may do everything.
 *
 * <p>{@link #evaluate} builds no text; the {@code …Explained} forms add the statement that decided and
 * the reason AWS gives, for error messages.
 */
public final class PolicyEvaluator {

    private static final String IDENTITY = "identity-based";
    private static final String RESOURCE = "resource-based";
    private static final String ROOT_REASON = "as the account root";

    private PolicyEvaluator() {
    }

    /** The decision of a principal's identity policies on one request. */
    public static Decision evaluate(List<PolicyDocument> identityPolicies, String principalArn, AccessRequest request) {
        return evaluate(identityPolicies, Principal.aws(principalArn), request);
    }

    /** As {@link #evaluate(List, String, AccessRequest)}, for a caller that keeps the parsed principal. */
    public static Decision evaluate(List<PolicyDocument> identityPolicies, Principal principal, AccessRequest request) {
        if (principal.isAccountRoot()) {
            return Decision.ALLOW;
        }
        return decide(identityPolicies, new RequestContext(request, principal), null);
    }

    /** As {@link #evaluate}, with the statement that decided and the reason AWS would give. */
    public static Evaluation evaluateExplained(List<PolicyDocument> identityPolicies, String principalArn,
            AccessRequest request) {
        Principal principal = Principal.aws(principalArn);
        if (principal.isAccountRoot()) {
            return new Evaluation(Decision.ALLOW, -1, null, ROOT_REASON);
        }
        Witness witness = new Witness();
        Decision decision = decide(identityPolicies, new RequestContext(request, principal), witness);
        return explain(decision, witness.policyIndex, witness.statement, request, IDENTITY);
    }

    /** The decision of a resource or trust policy on one request by the given principal. */
    public static Decision evaluateResourcePolicy(PolicyDocument policy, Principal caller, AccessRequest request) {
        return decide(policy, caller, new RequestContext(request, caller), null);
    }

    /** As {@link #evaluateResourcePolicy}, with the statement that decided and the reason AWS would give. */
    public static Evaluation evaluateResourcePolicyExplained(PolicyDocument policy, Principal caller,
            AccessRequest request) {
        Witness witness = new Witness();
        Decision decision = decide(policy, caller, new RequestContext(request, caller), witness);
        return explain(decision, witness.policyIndex, witness.statement, request, RESOURCE);
    }

    /**
     * Whether a role's trust policy lets the caller assume the role. The request names the action
     * ({@code sts:AssumeRole}) and the role ARN, with any condition keys of the call.
     */
    public static boolean allowsAssume(PolicyDocument trustPolicy, Principal caller, AccessRequest request) {
        return evaluateResourcePolicy(trustPolicy, caller, request).allowed();
    }

    /** Where the statement that decided is written down, when someone asks. */
    private static final class Witness {
        private Statement statement;
        private int policyIndex = -1;

        void saw(int policyIndex, Statement statement) {
            this.policyIndex = policyIndex;
            this.statement = statement;
        }
    }

    private static Decision decide(List<PolicyDocument> policies, RequestContext context, Witness witness) {
        boolean allowed = false;
        for (int p = 0; p < policies.size(); p++) {
            List<Statement> statements = policies.get(p).statements();
            for (int s = 0; s < statements.size(); s++) {
                Statement statement = statements.get(s);
                if (statement.allow() && allowed) {
                    continue;
                }
                if (statement.applies(context)) {
                    if (witness != null) {
                        witness.saw(p, statement);
                    }
                    if (!statement.allow()) {
                        return Decision.EXPLICIT_DENY;
                    }
                    allowed = true;
                }
            }
        }
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    private static Decision decide(PolicyDocument policy, Principal caller, RequestContext context,
            Witness witness) {
        boolean allowed = false;
        for (Statement statement : policy.statements()) {
            if (statement.allow() && allowed) {
                continue;
            }
            if (statement.appliesTo(caller, context)) {
                if (witness != null) {
                    witness.saw(0, statement);
                }
                if (!statement.allow()) {
                    return Decision.EXPLICIT_DENY;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    private static Evaluation explain(Decision decision, int policyIndex, Statement statement, AccessRequest request,
            String policyType) {
        String article = policyType.equals(IDENTITY) ? "an " : "a ";
        return switch (decision) {
            case ALLOW -> new Evaluation(decision, policyIndex, statement.sid(),
                    "allowed by " + article + policyType + " policy");
            case EXPLICIT_DENY -> new Evaluation(decision, policyIndex, statement.sid(),
                    "with an explicit deny in " + article + policyType + " policy");
            case IMPLICIT_DENY -> new Evaluation(decision, -1, null,
                    "because no " + policyType + " policy allows the " + request.action() + " action");
        };
    }
}
