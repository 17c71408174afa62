package io.berth.control.iam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The checks IAM makes on a policy document before storing it: JSON, a known Version, statements
 * with an Effect and actions, resources for identity policies and principals for trust policies.
 */
final class PolicyDocuments {

    static final int MANAGED_POLICY_MAX = 6144;
    static final int TRUST_POLICY_MAX = 2048;
    static final int USER_INLINE_MAX = 2048;
    static final int ROLE_INLINE_MAX = 10240;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");

    private PolicyDocuments() {
    }

    /** An identity policy: statements name resources and no principal. */
    static String requireIdentityPolicy(String member, String document, int maxNonWhitespace) {
        for (JsonNode statement : statements(member, document, maxNonWhitespace)) {
            if (statement.has("Principal") || statement.has("NotPrincipal")) {
                throw IamErrors.malformedPolicy("Policy document should not specify a principal.");
            }
            if (!statement.has("Resource") && !statement.has("NotResource")) {
                throw IamErrors.malformedPolicy("Policy statement must contain resources.");
            }
        }
        return document;
    }

    /** A role's trust policy: statements name principals and no resource. */
    static String requireTrustPolicy(String member, String document) {
        for (JsonNode statement : statements(member, document, TRUST_POLICY_MAX)) {
            if (statement.has("Resource") || statement.has("NotResource")) {
                throw IamErrors.malformedPolicy("Has prohibited field Resource");
            }
            if (!statement.has("Principal") && !statement.has("NotPrincipal")) {
                throw IamErrors.malformedPolicy("Missing required field Principal");
            }
            JsonNode principal = statement.has("Principal") ? statement.get("Principal") : statement.get("NotPrincipal");
            if (!(principal.isObject() && !principal.isEmpty()) && !(principal.isTextual() && "*".equals(principal.asText()))) {
                throw IamErrors.malformedPolicy("Invalid principal in policy: " + principal);
            }
        }
        return document;
    }

    private static List<JsonNode> statements(String member, String document, int maxNonWhitespace) {
        IamErrors.required(member, document);
        if (document.isBlank()) {
            throw IamErrors.constraint(member, document, "Member must have length greater than or equal to 1");
        }
        if (document.codePoints().filter(c -> !Character.isWhitespace(c)).count() > maxNonWhitespace) {
            throw new io.berth.model.EcsException("LimitExceeded", 409,
                    "Cannot exceed quota for PolicySize: " + maxNonWhitespace);
        }
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (JsonProcessingException e) {
            throw IamErrors.malformedPolicy("Syntax errors in policy.");
        }
        if (root == null || !root.isObject()) {
            throw IamErrors.malformedPolicy("Syntax errors in policy.");
        }
        JsonNode version = root.get("Version");
        if (version != null && !(version.isTextual() && VERSIONS.contains(version.asText()))) {
            throw IamErrors.malformedPolicy("The policy failed legacy parsing");
        }
        JsonNode statement = root.get("Statement");
        if (statement == null) {
            throw IamErrors.malformedPolicy("Missing required field Statement");
        }
        List<JsonNode> statements = new ArrayList<>();
        if (statement.isArray()) {
            statement.forEach(statements::add);
        } else {
            statements.add(statement);
        }
        for (JsonNode each : statements) {
            if (!each.isObject()) {
                throw IamErrors.malformedPolicy("Syntax errors in policy.");
            }
            JsonNode effect = each.get("Effect");
            if (effect == null) {
                throw IamErrors.malformedPolicy("Missing required field Effect");
            }
            if (!"Allow".equals(effect.asText()) && !"Deny".equals(effect.asText())) {
                throw IamErrors.malformedPolicy("Invalid effect: " + effect.asText());
            }
            if (!each.has("Action") && !each.has("NotAction")) {
                throw IamErrors.malformedPolicy("Policy statement must contain actions.");
            }
        }
        return statements;
    }
}
