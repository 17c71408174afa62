package io.berth.control.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The JSON form of a filter pattern: {@code { <condition> }}, where conditions join with {@code &&}
 * and {@code ||} ({@code &&} binding tighter) and group with parentheses. A condition names a value
 * of the message by a selector ({@code $.user.id}, {@code $.items[0].sku}, {@code $.items[*].sku})
 * and tests it: {@code = != < <= > >=} against a number, {@code =}/{@code !=} against a string
 * ({@code *} matching any characters) or a {@code %regex%}, {@code IS TRUE}, {@code IS FALSE},
 * {@code IS NULL}, {@code NOT EXISTS}. A selector reaching several values holds when one of them
 * does; a message that is not JSON matches nothing.
 */
final class JsonPattern {

    private static final ObjectMapper JSON = new ObjectMapper();

    private sealed interface Node permits And, Or, Test {
        boolean holds(JsonNode message);
    }

    private record And(Node left, Node right) implements Node {
        public boolean holds(JsonNode message) {
            return left.holds(message) && right.holds(message);
        }
    }

    private record Or(Node left, Node right) implements Node {
        public boolean holds(JsonNode message) {
            return left.holds(message) || right.holds(message);
        }
    }

    /** A step of a selector: a member name, an array index, or every element ({@code index < 0}). */
    private record Step(String member, int index) {
    }

    private record Test(List<Step> selector, Check check) implements Node {
        public boolean holds(JsonNode message) {
            List<JsonNode> values = List.of(message);
            for (Step step : selector) {
                List<JsonNode> next = new ArrayList<>();
                for (JsonNode value : values) {
                    if (step.member() != null) {
                        JsonNode member = value.isObject() ? value.get(step.member()) : null;
                        if (member != null) {
                            next.add(member);
                        }
                    } else if (value.isArray()) {
                        if (step.index() < 0) {
                            value.forEach(next::add);
                        } else if (step.index() < value.size()) {
                            next.add(value.get(step.index()));
                        }
                    }
                }
                values = next;
            }
            if (check instanceof Check.Absent) {
                return values.isEmpty();
            }
            for (JsonNode value : values) {
                if (check.holds(value)) {
                    return true;
                }
            }
            return false;
        }
    }

    private sealed interface Check {
        boolean holds(JsonNode value);

        record Absent() implements Check {
            public boolean holds(JsonNode value) {
                return false;
            }
        }

        record IsNull() implements Check {
            public boolean holds(JsonNode value) {
                return value.isNull();
            }
        }

        record IsBoolean(boolean expected) implements Check {
            public boolean holds(JsonNode value) {
                return value.isBoolean() && value.booleanValue() == expected;
            }
        }

        record Text(Pattern glob, boolean equal) implements Check {
            public boolean holds(JsonNode value) {
                return value.isValueNode() && !value.isNull() && glob.matcher(value.asText()).matches() == equal;
            }
        }

        record Regex(Pattern regex, boolean equal) implements Check {
            public boolean holds(JsonNode value) {
                return value.isValueNode() && !value.isNull() && regex.matcher(value.asText()).find() == equal;
            }
        }

        record Number(String operator, BigDecimal expected) implements Check {
            public boolean holds(JsonNode value) {
                if (!value.isNumber()) {
                    return false;
                }
                int order = value.decimalValue().compareTo(expected);
                return switch (operator) {
                    case "=" -> order == 0;
                    case "!=" -> order != 0;
                    case "<" -> order < 0;
                    case "<=" -> order <= 0;
                    case ">" -> order > 0;
                    default -> order >= 0;
                };
            }
        }
    }

    private final Node root;

    private JsonPattern(Node root) {
        this.root = root;
    }

    static JsonPattern parse(String pattern) {
        Parser parser = new Parser(pattern);
        parser.expect("{");
        Node root = parser.or();
        parser.expect("}");
        parser.end();
        return new JsonPattern(root);
    }

    boolean matches(String message) {
        JsonNode json;
        try {
            json = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            return false;
        }
        return json != null && (json.isObject() || json.isArray()) && root.holds(json);
    }

    /** A recursive-descent reader of the pattern's text. */
    private static final class Parser {

        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        Node or() {
            Node left = and();
            while (accept("||")) {
                left = new Or(left, and());
            }
            return left;
        }

        Node and() {
            Node left = unary();
            while (accept("&&")) {
                left = new And(left, unary());
            }
            return left;
        }

        Node unary() {
            if (accept("(")) {
                Node inner = or();
                expect(")");
                return inner;
            }
            return test();
        }

        Node test() {
            List<Step> selector = selector();
            if (acceptWord("IS")) {
                if (acceptWord("NULL")) {
                    return new Test(selector, new Check.IsNull());
                }
                if (acceptWord("TRUE")) {
                    return new Test(selector, new Check.IsBoolean(true));
                }
                if (acceptWord("FALSE")) {
                    return new Test(selector, new Check.IsBoolean(false));
                }
                throw FilterPattern.invalid("IS must be followed by NULL, TRUE or FALSE");
            }
            if (acceptWord("NOT")) {
                if (acceptWord("EXISTS")) {
                    return new Test(selector, new Check.Absent());
                }
                throw FilterPattern.invalid("NOT must be followed by EXISTS");
            }
            String operator = operator();
            skipSpace();
            if (peek() == '"') {
                return new Test(selector, text(operator, quoted()));
            }
            if (peek() == '%') {
                int end = text.indexOf('%', at + 1);
                if (end < 0) {
                    throw FilterPattern.invalid("a regular expression is not closed");
                }
                Pattern regex = FilterPattern.regex(text.substring(at + 1, end));
                at = end + 1;
                return new Test(selector, new Check.Regex(regex, equality(operator)));
            }
            String word = word();
            try {
                return new Test(selector, new Check.Number(operator, new BigDecimal(word)));
            } catch (NumberFormatException e) {
                return new Test(selector, text(operator, word));
            }
        }

        /** A string comparison, each {@code *} of the value standing for any characters. */
        private static Check text(String operator, String value) {
            StringBuilder regex = new StringBuilder();
            String[] parts = value.split("\\*", -1);
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    regex.append(".*");
                }
                if (!parts[i].isEmpty()) {
                    regex.append(Pattern.quote(parts[i]));
                }
            }
            return new Check.Text(Pattern.compile(regex.toString(), Pattern.DOTALL), equality(operator));
        }

        private static boolean equality(String operator) {
            return switch (operator) {
                case "=" -> true;
                case "!=" -> false;
                default -> throw FilterPattern.invalid(operator + " compares numbers only");
            };
        }

        List<Step> selector() {
            skipSpace();
            if (peek() != '$') {
                throw FilterPattern.invalid("a condition must start with a selector such as $.field");
            }
            at++;
            List<Step> steps = new ArrayList<>();
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == '.') {
                    at++;
                    int start = at;
                    while (at < text.length() && isNameChar(text.charAt(at))) {
                        at++;
                    }
                    if (start == at) {
                        throw FilterPattern.invalid("a selector has an empty member name");
                    }
                    steps.add(new Step(text.substring(start, at), 0));
                } else if (c == '[') {
                    int end = text.indexOf(']', at);
                    if (end < 0) {
                        throw FilterPattern.invalid("a selector's [ is not closed");
                    }
                    String index = text.substring(at + 1, end).strip();
                    at = end + 1;
                    steps.add(new Step(null, index.equals("*") ? -1 : arrayIndex(index)));
                } else {
                    break;
                }
            }
            if (steps.isEmpty()) {
                throw FilterPattern.invalid("a selector must name a member, such as $.field");
            }
            return List.copyOf(steps);
        }

        private static int arrayIndex(String index) {
            try {
                int value = Integer.parseInt(index);
                if (value >= 0) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // Refused below.
            }
            throw FilterPattern.invalid("the array index " + index + " is not a number or *");
        }

        private static boolean isNameChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '@' || c == '$';
        }

        String operator() {
            skipSpace();
            for (String operator : List.of("!=", "<=", ">=", "=", "<", ">")) {
                if (text.startsWith(operator, at)) {
                    at += operator.length();
                    return operator;
                }
            }
            throw FilterPattern.invalid("expected a comparison after the selector at position " + at);
        }

        String quoted() {
            StringBuilder value = new StringBuilder();
            at++;
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '\\' && at < text.length()) {
                    value.append(text.charAt(at++));
                } else if (c == '"') {
                    return value.toString();
                } else {
                    value.append(c);
                }
            }
            throw FilterPattern.invalid("a quoted value is not closed");
        }

        String word() {
            skipSpace();
            int start = at;
            while (at < text.length() && !Character.isWhitespace(text.charAt(at)) && "(){}&|".indexOf(peek()) < 0) {
                at++;
            }
            if (start == at) {
                throw FilterPattern.invalid("expected a value at position " + at);
            }
            return text.substring(start, at);
        }

        boolean acceptWord(String word) {
            skipSpace();
            int end = at + word.length();
            if (text.regionMatches(true, at, word, 0, word.length())
                    && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
                at = end;
                return true;
            }
            return false;
        }

        boolean accept(String token) {
            skipSpace();
            if (text.startsWith(token, at)) {
                at += token.length();
                return true;
            }
            return false;
        }

        void expect(String token) {
            if (!accept(token)) {
                throw FilterPattern.invalid("expected " + token + " at position " + at);
            }
        }

        void end() {
            skipSpace();
            if (at < text.length()) {
                throw FilterPattern.invalid("unexpected text after the closing }");
            }
        }

        private char peek() {
            return at < text.length() ? text.charAt(at) : '\0';
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
