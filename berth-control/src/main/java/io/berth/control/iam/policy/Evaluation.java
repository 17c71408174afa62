package io.berth.control.iam.policy;

import io.berth.control.iam.AccessRequest;
import io.berth.control.iam.Decision;

/**
 * A decision and what made it: the policy (its index in the list evaluated, -1 when no statement
 * decided) and statement ({@code sid}, possibly null) that decided, and the reason as AWS words it in
 * an access-denied message ("because no identity-based policy allows the ecs:RunTask action").
 */
public record Evaluation(Decision decision, int policyIndex, String sid, String reason) {

    public boolean allowed() {
        return decision.allowed();
    }

    /**
     * The message AWS gives with {@code AccessDeniedException}:
     * {@code User: arn:… is not authorized to perform: ecs:RunTask on resource: arn:… because …}.
     */
    public String accessDeniedMessage(String principalArn, AccessRequest request) {
        String resource = request.resource() == null ? "*" : request.resource();
        return "User: " + principalArn + " is not authorized to perform: " + request.action() + " on resource: "
                + resource + " " + reason;
    }
}
