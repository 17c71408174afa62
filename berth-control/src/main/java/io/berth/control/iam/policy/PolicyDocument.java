package io.berth.control.iam.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed, validated and compiled IAM policy document. Parsing checks the document the way IAM does
 * before storing it and compiles every pattern once, so that evaluating it later is cheap.
 *
 * <p>The {@link Kind} says where the document is used: identity policies (attached to users and roles)
 * must not name a principal and must name resources; trust policies of roles must name a principal and
 * must not name resources; other resource policies must name a principal.
 */
public final class PolicyDocument {

    public enum Kind {
        /** Inline or managed policies of users, groups and roles. */
        IDENTITY,
        /** A role's trust policy (its AssumeRolePolicyDocument). */
        TRUST,
        /** A policy attached to a resource, naming who may use it. */
        RESOURCE
    }

    public static final String VERSION_2012 = "2012-10-17";
    public static final String VERSION_2008 = "2008-10-17";

    /** Non-whitespace characters IAM allows in all inline policies of one user together. */
    public static final int USER_INLINE_SIZE_LIMIT = 2_048;
    /** Non-whitespace characters IAM allows in all inline policies of one group together. */
    public static final int GROUP_INLINE_SIZE_LIMIT = 5_120;
    /** Non-whitespace characters IAM allows in all inline policies of one role together. */
    public static final int ROLE_INLINE_SIZE_LIMIT = 10_240;
    /** Non-whitespace characters IAM allows in one managed policy version. */
    public static final int MANAGED_SIZE_LIMIT = 6_144;
    /** Non-whitespace characters IAM allows in a role's trust policy by default. */
    public static final int TRUST_SIZE_LIMIT = 2_048;

    private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_ELEMENTS = Set.of("Sid", "Effect", "Principal", "NotPrincipal",
            "Action", "NotAction", "Resource", "NotResource", "Condition");
    private static final Set<String> PRINCIPAL_KINDS = Set.of("AWS", "Service", "Federated", "CanonicalUser");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String json;
    private final Kind kind;
    private final String version;
    private final String id;
    private final List<Statement> statements;

    private PolicyDocument(String json, Kind kind, String version, String id, List<Statement> statements) {
        this.json = json;
        this.kind = kind;
        this.version = version;
        this.id = id;
        this.statements = List.copyOf(statements);
    }

    /** Parses an identity policy. */
    public static PolicyDocument parse(String json) {
        return parse(json, Kind.IDENTITY);
    }

    /**
     * Parses and validates a policy document of the given kind.
     *
     * @throws MalformedPolicyException when IAM would refuse the document
     */
    public static PolicyDocument parse(String json, Kind kind) {
        if (json == null || json.isBlank()) {
            throw new MalformedPolicyException(MalformedPolicyException.INVALID_JSON);
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedPolicyException(MalformedPolicyException.INVALID_JSON);
        }
        if (root == null || !root.isObject()) {
            throw syntax();
        }
        for (Map.Entry<String, JsonNode> element : root.properties()) {
            if (!TOP_LEVEL.contains(element.getKey())) {
                throw syntax();
            }
        }
        String version = null;
        if (root.has("Version")) {
            JsonNode node = root.get("Version");
            if (!node.isTextual() || !(node.asText().equals(VERSION_2012) || node.asText().equals(VERSION_2008))) {
                throw new MalformedPolicyException(MalformedPolicyException.LEGACY_PARSING);
            }
            version = node.asText();
        }
        String id = null;
        if (root.has("Id")) {
            if (!root.get("Id").isTextual()) {
                throw syntax();
            }
            id = root.get("Id").asText();
        }
        JsonNode statementNode = root.get("Statement");
        if (statementNode == null) {
            throw syntax();
        }
        List<JsonNode> statementNodes = new ArrayList<>();
        if (statementNode.isObject()) {
            statementNodes.add(statementNode);
        } else if (statementNode.isArray()) {
            statementNode.forEach(statementNodes::add);
        } else {
            throw syntax();
        }
        boolean variables = VERSION_2012.equals(version);
        List<Statement> statements = new ArrayList<>();
        Set<String> sids = new HashSet<>();
        for (JsonNode node : statementNodes) {
            Statement statement = statement(node, kind, variables);
            if (statement.sid() != null && !statement.sid().isEmpty() && !sids.add(statement.sid())) {
                throw new MalformedPolicyException(MalformedPolicyException.SID_NOT_UNIQUE);
            }
            statements.add(statement);
        }
        return new PolicyDocument(json, kind, version, id, statements);
    }

    /** The size IAM counts against its limits: the characters that are not whitespace. */
    public static int size(String json) {
        int size = 0;
        for (int i = 0; i < json.length(); i++) {
            if (!Character.isWhitespace(json.charAt(i))) {
                size++;
            }
        }
        return size;
    }

    /** Whether the document fits a size limit such as {@link #MANAGED_SIZE_LIMIT}. */
    public static boolean fitsWithin(String json, int limit) {
        return size(json) <= limit;
    }

    /** The document exactly as it was given. */
    public String json() {
        return json;
    }

    public Kind kind() {
        return kind;
    }

    /** The Version element, empty when the document has none (IAM then reads it as 2008-10-17). */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    public int statementCount() {
        return statements.size();
    }

    /**
     * Whether an Allow statement's {@code Principal} lists this ARN itself: within an account, a role that trusts a
     * principal by name lets it assume the role without a permission of its own.
     */
    public boolean allowsByName(String principalArn) {
        return statements.stream().anyMatch(s -> s.allowsByName(principalArn));
    }

    List<Statement> statements() {
        return statements;
    }

    private static Statement statement(JsonNode node, Kind kind, boolean variables) {
        if (!node.isObject()) {
            throw syntax();
        }
        for (Map.Entry<String, JsonNode> element : node.properties()) {
            if (!STATEMENT_ELEMENTS.contains(element.getKey())) {
                throw syntax();
            }
        }
        String sid = null;
        if (node.has("Sid")) {
            if (!node.get("Sid").isTextual()) {
                throw syntax();
            }
            sid = node.get("Sid").asText();
            if (kind != Kind.RESOURCE && !sid.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) {
                throw new MalformedPolicyException(MalformedPolicyException.SID_NOT_ALPHANUMERIC);
            }
        }
        JsonNode effect = node.get("Effect");
        if (effect == null || !effect.isTextual() || !(effect.asText().equals("Allow") || effect.asText().equals("Deny"))) {
            throw syntax();
        }
        boolean hasPrincipal = node.has("Principal") || node.has("NotPrincipal");
        if (node.has("Principal") && node.has("NotPrincipal")) {
            throw syntax();
        }
        if (kind == Kind.IDENTITY && hasPrincipal) {
            throw new MalformedPolicyException(MalformedPolicyException.PRINCIPAL_NOT_ALLOWED);
        }
        if (kind != Kind.IDENTITY && !hasPrincipal) {
            throw new MalformedPolicyException(MalformedPolicyException.PRINCIPAL_MISSING);
        }
        PrincipalPattern principals = null;
        boolean notPrincipal = node.has("NotPrincipal");
        if (hasPrincipal) {
            principals = principals(node.get(notPrincipal ? "NotPrincipal" : "Principal"));
        }

        if (node.has("Action") && node.has("NotAction")) {
            throw syntax();
        }
        boolean notAction = node.has("NotAction");
        JsonNode actionNode = node.get(notAction ? "NotAction" : "Action");
        List<String> actions = strings(actionNode);
        if (actionNode != null && actions == null) {
            throw syntax();
        }
        if (actions == null || actions.isEmpty()) {
            throw new MalformedPolicyException(MalformedPolicyException.ACTIONS_MISSING);
        }
        for (String action : actions) {
            if (!action.equals("*") && action.indexOf(':') <= 0) {
                throw new MalformedPolicyException(MalformedPolicyException.VENDOR_MISSING);
            }
            if (action.indexOf(':') != action.lastIndexOf(':')) {
                throw new MalformedPolicyException(MalformedPolicyException.ONE_COLON);
            }
            if (kind == Kind.TRUST && !notAction && !action.regionMatches(true, 0, "sts:", 0, 4)) {
                throw new MalformedPolicyException(MalformedPolicyException.TRUST_ACTIONS);
            }
        }

        if (node.has("Resource") && node.has("NotResource")) {
            throw syntax();
        }
        boolean notResource = node.has("NotResource");
        boolean hasResource = notResource || node.has("Resource");
        if (kind == Kind.TRUST && hasResource) {
            throw new MalformedPolicyException(MalformedPolicyException.RESOURCE_PROHIBITED);
        }
        List<String> resources = null;
        if (hasResource) {
            resources = strings(node.get(notResource ? "NotResource" : "Resource"));
            if (resources == null) {
                throw syntax();
            }
            for (String resource : resources) {
                if (!resource.equals("*") && !resource.startsWith("arn:") && !resource.startsWith("${")) {
                    throw new MalformedPolicyException("Resource " + resource + " must be in ARN format or \"*\".");
                }
            }
        }
        if (kind == Kind.IDENTITY && (resources == null || resources.isEmpty())) {
            throw new MalformedPolicyException(MalformedPolicyException.RESOURCES_MISSING);
        }

        List<Condition> conditions = node.has("Condition") ? conditions(node.get("Condition"), variables) : List.of();
        return new Statement(sid, effect.asText().equals("Allow"), actions, notAction, resources, notResource,
                principals, notPrincipal, conditions, variables);
    }

    private static PrincipalPattern principals(JsonNode node) {
        if (node.isTextual()) {
            if (!node.asText().equals("*")) {
                throw syntax();
            }
            return PrincipalPattern.everyone();
        }
        if (!node.isObject() || node.isEmpty()) {
            throw syntax();
        }
        List<PrincipalPattern.Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String principalKind = field.getKey();
            List<String> values = strings(field.getValue());
            if (!PRINCIPAL_KINDS.contains(principalKind) || values == null) {
                throw new MalformedPolicyException("Invalid principal in policy: \"" + principalKind + "\":"
                        + field.getValue());
            }
            for (String value : values) {
                if (principalKind.equals("AWS") && !validAwsPrincipal(value)) {
                    throw new MalformedPolicyException("Invalid principal in policy: \"AWS\":\"" + value + "\"");
                }
                if (value.isBlank()) {
                    throw new MalformedPolicyException("Invalid principal in policy: \"" + principalKind + "\":\"\"");
                }
                entries.add(new PrincipalPattern.Entry(principalKind, value));
            }
        }
        return PrincipalPattern.of(entries);
    }

    private static boolean validAwsPrincipal(String value) {
        if (value.equals("*") || PrincipalPattern.isAccountId(value)) {
            return true;
        }
        Principal principal = Principal.aws(value);
        String service = principal.field(2);
        String resource = principal.field(5);
        return ("iam".equals(service) || "sts".equals(service)) && resource != null && !resource.isEmpty()
                && PrincipalPattern.isAccountId(String.valueOf(principal.field(4))) && value.indexOf('*') < 0;
    }

    private static List<Condition> conditions(JsonNode node, boolean variables) {
        if (!node.isObject()) {
            throw syntax();
        }
        List<Condition> conditions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> operator : node.properties()) {
            if (!Condition.isOperator(operator.getKey()) || !operator.getValue().isObject()) {
                throw syntax();
            }
            for (Map.Entry<String, JsonNode> key : operator.getValue().properties()) {
                if (key.getKey().indexOf(':') <= 0) {
                    throw new MalformedPolicyException(MalformedPolicyException.VENDOR_MISSING);
                }
                List<String> values = strings(key.getValue());
                if (values == null) {
                    throw syntax();
                }
                conditions.add(Condition.of(operator.getKey(), key.getKey(), values, variables));
            }
        }
        return conditions;
    }

    /** A string, number or boolean, or an array of them, as text; null for anything else. */
    private static List<String> strings(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isValueNode() && !node.isNull()) {
            return List.of(node.asText());
        }
        if (!node.isArray()) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isValueNode() || element.isNull()) {
                return null;
            }
            values.add(element.asText());
        }
        return values;
    }

    private static MalformedPolicyException syntax() {
        return new MalformedPolicyException(MalformedPolicyException.SYNTAX_ERRORS);
    }

    @Override
    public String toString() {
        return json;
    }
}
