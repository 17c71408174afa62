package io.berth.control.access;

import io.berth.control.Caller;
import io.berth.control.iam.AccessRequest;
import io.berth.control.iam.Authorizer;
import io.berth.control.iam.Decision;
import io.berth.control.iam.policy.PolicyDocument;
import io.berth.control.iam.policy.PolicyEvaluator;
import java.util.List;

/** An authorizer holding one identity-based policy, written as its statements' JSON, decided by IAM's rules. */
final class IdentityPolicy implements Authorizer {

    private final List<PolicyDocument> policies;

    private IdentityPolicy(PolicyDocument policy) {
        this.policies = List.of(policy);
    }

    static IdentityPolicy of(String... statements) {
        return new IdentityPolicy(PolicyDocument.parse(
                "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(", ", statements) + "]}"));
    }

    /** A statement's JSON, with single quotes for double ones so that tables stay readable. */
    static String statement(String json) {
        return json.replace('\'', '"');
    }

    @Override
    public Decision decide(Caller caller, AccessRequest request) {
        return PolicyEvaluator.evaluate(policies, caller.principalArn(), request);
    }
}
