package io.berth.control.iam;

import io.berth.control.Caller;
import io.berth.control.iam.policy.MalformedPolicyException;
import io.berth.control.iam.policy.PolicyDocument;
import io.berth.control.iam.policy.PolicyEvaluator;
import io.berth.control.iam.policy.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides with the caller's identity policies as IAM keeps them. An account's root may do
 * everything in its account; anyone else needs an allowing statement and no denying one. The parsed
 * documents and the parsed principal are kept while its policies' version holds, so a decision
 * costs a few map lookups and the evaluation itself.
 */
final class PolicyAuthorizer implements Authorizer {

    private static final Logger log = LoggerFactory.getLogger(PolicyAuthorizer.class);
    private static final int MAX_CACHED_PRINCIPALS = 100_000;
    private static final PolicyDocument DENY_ALL = PolicyDocument.parse(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}");

    private record Parsed(long version, Principal principal, List<PolicyDocument> documents) {
    }

    private final Iam iam;
    private final Map<String, Parsed> parsedByPrincipal = new ConcurrentHashMap<>();

    PolicyAuthorizer(Iam iam) {
        this.iam = iam;
    }

    @Override
    public Decision decide(Caller caller, AccessRequest request) {
        String principal = caller.principalArn();
        if (principal.endsWith(":root") && principal.equals("arn:" + caller.scope().partition() + ":iam::"
                + caller.scope().account() + ":root")) {
            return Decision.ALLOW;
        }
        Parsed parsed = parsedOf(principal);
        return PolicyEvaluator.evaluate(parsed.documents(), parsed.principal(), request);
    }

    private Parsed parsedOf(String principal) {
        Iam.PrincipalPolicies policies = iam.policiesOf(principal);
        Parsed parsed = parsedByPrincipal.get(principal);
        if (parsed == null || parsed.version() != policies.version()) {
            parsed = new Parsed(policies.version(), Principal.aws(principal), parse(principal, policies.documents()));
            if (parsedByPrincipal.size() >= MAX_CACHED_PRINCIPALS) {
                parsedByPrincipal.clear();
            }
            parsedByPrincipal.put(principal, parsed);
        }
        return parsed;
    }

    /**
     * Stored documents were validated when written. One that no longer parses may have held a deny, so rather than
     * grant what its other policies allow, the principal is refused everything until it is mended.
     */
    private static List<PolicyDocument> parse(String principal, List<String> documents) {
        List<PolicyDocument> parsed = new ArrayList<>(documents.size());
        for (String document : documents) {
            try {
                parsed.add(PolicyDocument.parse(document));
            } catch (MalformedPolicyException e) {
                log.error("A policy of {} does not parse; the principal is refused everything: {}", principal,
                        e.getMessage());
                return List.of(DENY_ALL);
            }
        }
        return List.copyOf(parsed);
    }
}
