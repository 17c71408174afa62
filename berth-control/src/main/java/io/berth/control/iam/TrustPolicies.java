package io.berth.control.iam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether a role's trust policy lets a principal assume the role: a matching Deny refuses, else a
 * matching Allow allows. Statements with conditions are not relied on to allow.
 */
final class TrustPolicies {

    static final String ASSUME_ROLE = "sts:AssumeRole";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrustPolicies() {
    }

    /** Whether an AWS principal ({@code arn:aws:iam::123456789012:user/alice}) may assume the role. */
    static boolean allowsPrincipal(String trustPolicy, String principalArn, String roleArn) {
        return allows(trustPolicy, "AWS", principalArn, roleArn);
    }

    /** Whether a service ({@code ecs-tasks.amazonaws.com}) may assume the role. */
    static boolean allowsService(String trustPolicy, String service, String roleArn) {
        return allows(trustPolicy, "Service", service, roleArn);
    }

    private static boolean allows(String trustPolicy, String kind, String principal, String roleArn) {
        JsonNode root;
        try {
            root = JSON.readTree(trustPolicy);
        } catch (JsonProcessingException e) {
            return false;
        }
        boolean allowed = false;
        for (JsonNode statement : list(root.get("Statement"))) {
            boolean deny = "Deny".equals(statement.path("Effect").asText());
            if (!actionMatches(statement) || !principalMatches(statement, kind, principal)) {
                continue;
            }
            if (deny) {
                return false;
            }
            if (!statement.has("Condition")) {
                allowed = true;
            }
        }
        return allowed;
    }

    private static boolean actionMatches(JsonNode statement) {
        if (statement.has("NotAction")) {
            return list(statement.get("NotAction")).stream().noneMatch(a -> glob(a.asText(), ASSUME_ROLE));
        }
        return list(statement.get("Action")).stream().anyMatch(a -> glob(a.asText(), ASSUME_ROLE));
    }

    private static boolean principalMatches(JsonNode statement, String kind, String principal) {
        JsonNode node = statement.get("Principal");
        if (node == null) {
            return false;
        }
        if (node.isTextual()) {
            return "*".equals(node.asText());
        }
        for (JsonNode named : list(node.get(kind))) {
            String value = named.asText();
            if ("*".equals(value) || value.equals(principal)) {
                return true;
            }
            // An account (its id or root ARN) trusts every principal of the account.
            if ("AWS".equals(kind)) {
                String account = Principals.parse(principal).map(Principals.Principal::account).orElse(null);
                if (account != null && (value.equals(account) || value.endsWith(":iam::" + account + ":root"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean glob(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(switch (c) {
                case '*' -> ".*";
                case '?' -> ".";
                default -> Pattern.quote(String.valueOf(c));
            });
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE).matcher(value).matches();
    }

    private static List<JsonNode> list(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(out::add);
        } else {
            out.add(node);
        }
        return out;
    }
}
