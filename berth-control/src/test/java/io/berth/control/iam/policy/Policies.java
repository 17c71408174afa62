package io.berth.control.iam.policy;

import io.berth.control.iam.AccessRequest;
import io.berth.control.iam.Decision;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders for policy tests: statements are written with single quotes for readability. */
final class Policies {

    static final String ACCOUNT = "123456789012";
    static final String USER = "arn:aws:iam::123456789012:user/alice";
    static final String CLUSTER = "arn:aws:ecs:us-east-1:123456789012:cluster/prod";

    private Policies() {
    }

    /** A 2012-10-17 identity policy holding these statements (single quotes stand for double quotes). */
    static PolicyDocument identity(String... statements) {
        return PolicyDocument.parse(document(statements));
    }

    static PolicyDocument trust(String... statements) {
        return PolicyDocument.parse(document(statements), PolicyDocument.Kind.TRUST);
    }

    static String document(String... statements) {
        return ("{'Version':'2012-10-17','Statement':[" + String.join(",", statements) + "]}").replace('\'', '"');
    }

    static String allow(String action, String resource) {
        return "{'Effect':'Allow','Action':'" + action + "','Resource':'" + resource + "'}";
    }

    static String deny(String action, String resource) {
        return "{'Effect':'Deny','Action':'" + action + "','Resource':'" + resource + "'}";
    }

    /** An Allow of everything under one condition block, e.g. {@code {'StringEquals':{'ecs:cluster':'x'}}}. */
    static PolicyDocument allowWhen(String condition) {
        return identity("{'Effect':'Allow','Action':'*','Resource':'*','Condition':" + condition + "}");
    }

    static AccessRequest request(String action, String resource) {
        return new AccessRequest(action, resource);
    }

    /** A request whose context holds the given keys, each followed by its values: {@code key, List.of(values)}. */
    static AccessRequest request(String action, String resource, Object... keysAndValues) {
        Map<String, List<String>> context = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object values = keysAndValues[i + 1];
            @SuppressWarnings("unchecked")
            List<String> list = values instanceof List<?> l ? (List<String>) l : List.of((String) values);
            context.put((String) keysAndValues[i], list);
        }
        return new AccessRequest(action, resource, context);
    }

    /** The context keys and values of a request for {@code ecs:ListClusters} on {@code *}. */
    static AccessRequest context(Object... keysAndValues) {
        return request("ecs:ListClusters", "*", keysAndValues);
    }

    static Decision decide(PolicyDocument policy, AccessRequest request) {
        return PolicyEvaluator.evaluate(List.of(policy), USER, request);
    }

    static boolean allowed(PolicyDocument policy, AccessRequest request) {
        return decide(policy, request).allowed();
    }
}
