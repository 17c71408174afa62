package io.berth.control.iam.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One key of one condition operator ({@code "StringLike": {"ecs:cluster": ["arn:…/prod-*", …]}}): the
 * policy's values are compiled when the policy is parsed. Several values are alternatives (a negated
 * operator wants none of them); a key missing from the request makes the condition false, except for
 * negated operators, {@code …IfExists}, {@code Null} and {@code ForAllValues}.
 */
final class Condition {

    enum Family { STRING, STRING_IGNORE_CASE, STRING_LIKE, NUMERIC, DATE, BOOL, BINARY, IP, ARN, NULL }

    enum Comparison { EQUALS, LESS, LESS_OR_EQUAL, GREATER, GREATER_OR_EQUAL }

    enum Qualifier { NONE, FOR_ANY_VALUE, FOR_ALL_VALUES }

    record Operator(Family family, Comparison comparison, boolean negated) {
    }

    private static final Map<String, Operator> OPERATORS = operators();

    /** One policy value, ready to compare with one value of the request. */
    private interface ValueTest {
        boolean matches(String requestValue, RequestContext context);
    }

    private final String operatorName;
    private final String key;
    private final Operator operator;
    private final Qualifier qualifier;
    private final boolean ifExists;
    private final ValueTest[] tests;
    private final Boolean[] nullChecks;

    private Condition(String operatorName, String key, Operator operator, Qualifier qualifier, boolean ifExists,
            ValueTest[] tests, Boolean[] nullChecks) {
        this.operatorName = operatorName;
        this.key = key;
        this.operator = operator;
        this.qualifier = qualifier;
        this.ifExists = ifExists;
        this.tests = tests;
        this.nullChecks = nullChecks;
    }

    /** Whether IAM knows this operator name ({@code ForAnyValue:StringLikeIfExists} included). */
    static boolean isOperator(String name) {
        return parseOperator(name) != null;
    }

    private record ParsedOperator(Operator operator, Qualifier qualifier, boolean ifExists) {
    }

    private static ParsedOperator parseOperator(String name) {
        String rest = name;
        Qualifier qualifier = Qualifier.NONE;
        int colon = rest.indexOf(':');
        if (colon >= 0) {
            String prefix = rest.substring(0, colon);
            if (prefix.equalsIgnoreCase("ForAnyValue")) {
                qualifier = Qualifier.FOR_ANY_VALUE;
            } else if (prefix.equalsIgnoreCase("ForAllValues")) {
                qualifier = Qualifier.FOR_ALL_VALUES;
            } else {
                return null;
            }
            rest = rest.substring(colon + 1);
        }
        boolean ifExists = false;
        if (rest.regionMatches(true, Math.max(0, rest.length() - "IfExists".length()), "IfExists", 0, "IfExists".length())
                && rest.length() > "IfExists".length()) {
            ifExists = true;
            rest = rest.substring(0, rest.length() - "IfExists".length());
        }
        Operator operator = OPERATORS.get(rest.toLowerCase(Locale.ROOT));
        if (operator == null || (operator.family() == Family.NULL && (ifExists || qualifier != Qualifier.NONE))) {
            return null;
        }
        return new ParsedOperator(operator, qualifier, ifExists);
    }

    /**
     * Compiles one operator and key with its policy values. Returns null for an unknown operator.
     *
     * @param variables whether policy variables are expanded (policy version 2012-10-17)
     */
    static Condition of(String operatorName, String key, List<String> values, boolean variables) {
        ParsedOperator parsed = parseOperator(operatorName);
        if (parsed == null) {
            return null;
        }
        Operator operator = parsed.operator();
        ValueTest[] tests = new ValueTest[values.size()];
        Boolean[] nullChecks = null;
        if (operator.family() == Family.NULL) {
            nullChecks = new Boolean[values.size()];
            for (int i = 0; i < values.size(); i++) {
                String value = values.get(i).trim();
                nullChecks[i] = value.equalsIgnoreCase("true") ? Boolean.TRUE
                        : value.equalsIgnoreCase("false") ? Boolean.FALSE : null;
            }
        } else {
            for (int i = 0; i < values.size(); i++) {
                tests[i] = test(operator, values.get(i), variables);
            }
        }
        return new Condition(operatorName, key.toLowerCase(Locale.ROOT), operator, parsed.qualifier(),
                parsed.ifExists(), tests, nullChecks);
    }

    @Override
    public String toString() {
        return operatorName + " " + key;
    }

    /** Whether the condition holds for the request. */
    boolean holds(RequestContext context) {
        List<String> values = context.values(key);
        boolean present = values != null && !values.isEmpty();
        if (operator.family() == Family.NULL) {
            for (Boolean check : nullChecks) {
                if (check != null && check == !present) {
                    return true;
                }
            }
            return false;
        }
        switch (qualifier) {
            case FOR_ALL_VALUES -> {
                if (!present) {
                    return true;
                }
                for (int i = 0; i < values.size(); i++) {
                    if (!qualifiedMatch(values.get(i), context)) {
                        return false;
                    }
                }
                return true;
            }
            case FOR_ANY_VALUE -> {
                if (!present) {
                    return false;
                }
                for (int i = 0; i < values.size(); i++) {
                    if (qualifiedMatch(values.get(i), context)) {
                        return true;
                    }
                }
                return false;
            }
            default -> {
                if (!present) {
                    return ifExists || operator.negated();
                }
                boolean any = false;
                for (int i = 0; i < values.size() && !any; i++) {
                    any = anyPolicyValueMatches(values.get(i), context);
                }
                return operator.negated() != any;
            }
        }
    }

    /** For a set qualifier: does this one request value satisfy the operator (negation included)? */
    private boolean qualifiedMatch(String requestValue, RequestContext context) {
        return operator.negated() != anyPolicyValueMatches(requestValue, context);
    }

    private boolean anyPolicyValueMatches(String requestValue, RequestContext context) {
        if (requestValue == null) {
            return false;
        }
        for (ValueTest test : tests) {
            if (test.matches(requestValue, context)) {
                return true;
            }
        }
        return false;
    }

    private static ValueTest test(Operator operator, String value, boolean variables) {
        return switch (operator.family()) {
            case STRING -> textTest(Template.of(value, variables), false);
            case STRING_IGNORE_CASE -> textTest(Template.of(value, variables), true);
            case BOOL -> textTest(Template.of(value.trim(), variables), true);
            case STRING_LIKE -> likeTest(Template.of(value, variables));
            case ARN -> arnTest(Template.of(value, variables));
            case NUMERIC -> numericTest(operator.comparison(), value);
            case DATE -> dateTest(operator.comparison(), value);
            case BINARY -> binaryTest(value);
            case IP -> ipTest(value);
            case NULL -> throw new IllegalStateException("Null has no value tests");
        };
    }

    private static ValueTest textTest(Template template, boolean ignoreCase) {
        if (template.constant()) {
            String text = template.text(null);
            return ignoreCase ? (v, c) -> v.equalsIgnoreCase(text) : (v, c) -> v.equals(text);
        }
        return (v, c) -> {
            String text = template.text(c);
            return text != null && (ignoreCase ? v.equalsIgnoreCase(text) : v.equals(text));
        };
    }

    private static ValueTest likeTest(Template template) {
        if (template.constant()) {
            Glob glob = template.glob(null, false, false);
            return (v, c) -> glob.matches(v);
        }
        return (v, c) -> {
            Glob glob = template.glob(c, false, false);
            return glob != null && glob.matches(v);
        };
    }

    private static ValueTest arnTest(Template template) {
        if (template.constant()) {
            ArnPattern pattern = ArnPattern.of(template.glob(null, false, false));
            return pattern == null ? (v, c) -> false : (v, c) -> pattern.matches(v);
        }
        return (v, c) -> {
            Glob glob = template.glob(c, false, false);
            ArnPattern pattern = glob == null ? null : ArnPattern.of(glob);
            return pattern != null && pattern.matches(v);
        };
    }

    private static ValueTest numericTest(Comparison comparison, String value) {
        double policy = number(value);
        if (Double.isNaN(policy)) {
            return (v, c) -> false;
        }
        return (v, c) -> {
            double request = number(v);
            return !Double.isNaN(request) && compare(comparison, Double.compare(request, policy));
        };
    }

    private static ValueTest dateTest(Comparison comparison, String value) {
        Instant policy = instant(value);
        if (policy == null) {
            return (v, c) -> false;
        }
        return (v, c) -> {
            Instant request = instant(v);
            return request != null && compare(comparison, request.compareTo(policy));
        };
    }

    private static ValueTest binaryTest(String value) {
        byte[] policy = base64(value);
        if (policy == null) {
            return (v, c) -> false;
        }
        return (v, c) -> {
            byte[] request = base64(v);
            return request != null && Arrays.equals(request, policy);
        };
    }

    private static ValueTest ipTest(String value) {
        IpRange range = IpRange.parse(value);
        if (range == null) {
            return (v, c) -> false;
        }
        return (v, c) -> range.contains(v);
    }

    private static boolean compare(Comparison comparison, int order) {
        return switch (comparison) {
            case EQUALS -> order == 0;
            case LESS -> order < 0;
            case LESS_OR_EQUAL -> order <= 0;
            case GREATER -> order > 0;
            case GREATER_OR_EQUAL -> order >= 0;
        };
    }

    private static double number(String text) {
        String value = text.trim();
        if (value.isEmpty()) {
            return Double.NaN;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return Double.NaN;
            }
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** A date as IAM reads it: ISO 8601 (with or without time and zone) or seconds since the epoch. */
    static Instant instant(String text) {
        String value = text.trim();
        if (value.isEmpty()) {
            return null;
        }
        if (value.chars().allMatch(ch -> ch >= '0' && ch <= '9' || ch == '-') && value.indexOf('-', 1) < 0) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(value));
            } catch (NumberFormatException | java.time.DateTimeException e) {
                // Not a number, or seconds beyond the years an Instant holds: no date.
                return null;
            }
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notDate) {
                    return null;
                }
            }
        }
    }

    private static byte[] base64(String text) {
        try {
            return Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Map<String, Operator> operators() {
        Map<String, Operator> table = new HashMap<>();
        table.put("stringequals", new Operator(Family.STRING, Comparison.EQUALS, false));
        table.put("stringnotequals", new Operator(Family.STRING, Comparison.EQUALS, true));
        table.put("stringequalsignorecase", new Operator(Family.STRING_IGNORE_CASE, Comparison.EQUALS, false));
        table.put("stringnotequalsignorecase", new Operator(Family.STRING_IGNORE_CASE, Comparison.EQUALS, true));
        table.put("stringlike", new Operator(Family.STRING_LIKE, Comparison.EQUALS, false));
        table.put("stringnotlike", new Operator(Family.STRING_LIKE, Comparison.EQUALS, true));
        for (Family family : List.of(Family.NUMERIC, Family.DATE)) {
            String prefix = family == Family.NUMERIC ? "numeric" : "date";
            table.put(prefix + "equals", new Operator(family, Comparison.EQUALS, false));
            table.put(prefix + "notequals", new Operator(family, Comparison.EQUALS, true));
            table.put(prefix + "lessthan", new Operator(family, Comparison.LESS, false));
            table.put(prefix + "lessthanequals", new Operator(family, Comparison.LESS_OR_EQUAL, false));
            table.put(prefix + "greaterthan", new Operator(family, Comparison.GREATER, false));
            table.put(prefix + "greaterthanequals", new Operator(family, Comparison.GREATER_OR_EQUAL, false));
        }
        table.put("bool", new Operator(Family.BOOL, Comparison.EQUALS, false));
        table.put("binaryequals", new Operator(Family.BINARY, Comparison.EQUALS, false));
        table.put("ipaddress", new Operator(Family.IP, Comparison.EQUALS, false));
        table.put("notipaddress", new Operator(Family.IP, Comparison.EQUALS, true));
        table.put("arnequals", new Operator(Family.ARN, Comparison.EQUALS, false));
        table.put("arnlike", new Operator(Family.ARN, Comparison.EQUALS, false));
        table.put("arnnotequals", new Operator(Family.ARN, Comparison.EQUALS, true));
        table.put("arnnotlike", new Operator(Family.ARN, Comparison.EQUALS, true));
        table.put("null", new Operator(Family.NULL, Comparison.EQUALS, false));
        return Map.copyOf(table);
    }

    /**
     * An ARN pattern for the Arn operators: the six colon-separated parts (the last one keeps any further
     * colons) are matched one by one, so a wildcard never spans two parts.
     */
    private record ArnPattern(Glob[] parts) {

        static ArnPattern of(Glob glob) {
            Glob[] parts = new Glob[6];
            int start = 0;
            int part = 0;
            for (int i = 0; i < glob.tokenCount() && part < 5; i++) {
                if (glob.isLiteralColon(i)) {
                    parts[part++] = glob.slice(start, i);
                    start = i + 1;
                }
            }
            if (part < 5) {
                return null;
            }
            parts[5] = glob.slice(start, glob.tokenCount());
            return new ArnPattern(parts);
        }

        boolean matches(String arn) {
            int start = 0;
            for (int part = 0; part < 5; part++) {
                int colon = arn.indexOf(':', start);
                if (colon < 0 || !parts[part].matches(arn, start, colon)) {
                    return false;
                }
                start = colon + 1;
            }
            return parts[5].matches(arn, start, arn.length());
        }
    }
}
