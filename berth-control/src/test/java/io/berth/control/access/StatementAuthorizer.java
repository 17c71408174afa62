package io.berth.control.access;

import io.berth.control.Caller;
import io.berth.control.iam.AccessRequest;
import io.berth.control.iam.Authorizer;
import io.berth.control.iam.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A stand-in for an identity-based policy in tests: Allow and Deny statements on action and
 * resource patterns ({@code *} and {@code ?} wildcards), each with at most one equality condition.
 * Explicit deny wins, no allow means deny. It records every request it decides.
 */
final class StatementAuthorizer implements Authorizer {

    private record Statement(boolean allow, Pattern action, Pattern resource, String conditionKey, String conditionValue) {

        boolean matches(AccessRequest request) {
            if (!action.matcher(request.action()).matches() || !resource.matcher(request.resource()).matches()) {
                return false;
            }
            return conditionKey == null
                    || request.context().getOrDefault(conditionKey, List.of()).contains(conditionValue);
        }
    }

    private final List<Statement> statements = new ArrayList<>();
    private final List<AccessRequest> decided = new ArrayList<>();

    static StatementAuthorizer policy() {
        return new StatementAuthorizer();
    }

    StatementAuthorizer allow(String action, String resource) {
        return add(true, action, resource, null, null);
    }

    StatementAuthorizer allowIf(String action, String resource, String conditionKey, String conditionValue) {
        return add(true, action, resource, conditionKey, conditionValue);
    }

    StatementAuthorizer deny(String action, String resource) {
        return add(false, action, resource, null, null);
    }

    private StatementAuthorizer add(boolean allow, String action, String resource, String key, String value) {
        statements.add(new Statement(allow, glob(action, true), glob(resource, false), key, value));
        return this;
    }

    @Override
    public synchronized Decision decide(Caller caller, AccessRequest request) {
        decided.add(request);
        boolean allowed = false;
        for (Statement statement : statements) {
            if (statement.matches(request)) {
                if (!statement.allow()) {
                    return Decision.EXPLICIT_DENY;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    synchronized List<AccessRequest> decided() {
        return List.copyOf(decided);
    }

    private static Pattern glob(String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(switch (c) {
                case '*' -> ".*";
                case '?' -> ".";
                default -> Pattern.quote(String.valueOf(c));
            });
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
    }
}
