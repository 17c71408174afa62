package io.berth.control.placement;

import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A cluster query expression, as in a memberOf constraint: comparisons such as
 * {@code attribute:ecs.instance-type =~ t2.*}, {@code attribute:stack in [prod, qa]},
 * {@code attribute:gpu exists} or {@code task:group == web}, joined by {@code and}, {@code or},
 * {@code not} and parentheses. Subjects: {@code attribute:<name>}, {@code ec2InstanceId},
 * {@code agentConnected}, {@code runningTasksCount} and {@code task:group}.
 */
public final class ClusterQuery {

    private final String text;
    private final Predicate<InstanceLoad> predicate;

    private ClusterQuery(String text, Predicate<InstanceLoad> predicate) {
        this.text = text;
        this.predicate = predicate;
    }

    public static ClusterQuery parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw EcsException.invalidParameter("The memberOf placement constraint needs an expression.");
        }
        if (expression.length() > 2000) {
            throw EcsException.invalidParameter("A placement constraint expression can have at most 2000 characters.");
        }
        Parser parser = new Parser(expression, tokenize(expression));
        Predicate<InstanceLoad> predicate = parser.or();
        if (parser.position < parser.tokens.size()) {
            throw parser.error("unexpected '" + parser.tokens.get(parser.position) + "'");
        }
        return new ClusterQuery(expression, predicate);
    }

    public boolean matches(InstanceLoad load) {
        return predicate.test(load);
    }

    @Override
    public String toString() {
        return text;
    }

    private static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (!tokens.isEmpty() && REGEX_OPERATORS.contains(tokens.get(tokens.size() - 1))) {
                i = regexToken(text, i, tokens);
            } else if ("()[],".indexOf(c) >= 0) {
                tokens.add(String.valueOf(c));
                i++;
            } else if ("=!<>&|".indexOf(c) >= 0) {
                String two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
                if (List.of("==", "!=", "=~", "!~", ">=", "<=", "&&", "||").contains(two)) {
                    tokens.add(two);
                    i += 2;
                } else {
                    tokens.add(String.valueOf(c));
                    i++;
                }
            } else {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i))
                        && "()[],=!<>&|".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                tokens.add(stripQuotes(text.substring(start, i)));
            }
        }
        return tokens;
    }

    private static final List<String> REGEX_OPERATORS = List.of("=~", "!~", "matches", "not_matches");

    /**
     * A pattern runs to the next whitespace, as it may hold brackets and parentheses of its own;
     * closing parentheses it does not open end an enclosing group instead.
     */
    private static int regexToken(String text, int start, List<String> tokens) {
        int end = start;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        String word = text.substring(start, end);
        int open = 0;
        int cut = word.length();
        for (int k = 0; k < word.length(); k++) {
            char c = word.charAt(k);
            if (c == '\\') {
                k++;
            } else if (c == '(') {
                open++;
            } else if (c == ')' && --open < 0) {
                cut = k;
                break;
            }
        }
        tokens.add(stripQuotes(word.substring(0, cut)));
        return start + cut;
    }

    private static String stripQuotes(String word) {
        if (word.length() >= 2 && (word.startsWith("\"") && word.endsWith("\"")
                || word.startsWith("'") && word.endsWith("'"))) {
            return word.substring(1, word.length() - 1);
        }
        return word;
    }

    private static final class Parser {

        private final String text;
        private final List<String> tokens;
        private int position;

        Parser(String text, List<String> tokens) {
            this.text = text;
            this.tokens = tokens;
        }

        Predicate<InstanceLoad> or() {
            Predicate<InstanceLoad> left = and();
            while (accept("or", "||")) {
                left = left.or(and());
            }
            return left;
        }

        Predicate<InstanceLoad> and() {
            Predicate<InstanceLoad> left = unary();
            while (accept("and", "&&")) {
                left = left.and(unary());
            }
            return left;
        }

        Predicate<InstanceLoad> unary() {
            if (accept("not", "!")) {
                return unary().negate();
            }
            if (accept("(")) {
                Predicate<InstanceLoad> inner = or();
                expect(")");
                return inner;
            }
            return comparison();
        }

        Predicate<InstanceLoad> comparison() {
            Function<InstanceLoad, List<String>> subject = subject(next("a subject"));
            String operator = next("an operator");
            if (operator.equals("!") && accept("exists")) {
                return load -> subject.apply(load).isEmpty();
            }
            switch (operator) {
                case "exists":
                    return load -> !subject.apply(load).isEmpty();
                case "==", "equals": {
                    Pattern glob = glob(next("a value"));
                    return load -> subject.apply(load).stream().anyMatch(v -> glob.matcher(v).matches());
                }
                case "!=", "not_equals": {
                    Pattern glob = glob(next("a value"));
                    return load -> subject.apply(load).stream().noneMatch(v -> glob.matcher(v).matches());
                }
                case "=~", "matches": {
                    Pattern regex = regex(next("a pattern"));
                    return load -> subject.apply(load).stream().anyMatch(v -> regex.matcher(v).matches());
                }
                case "!~", "not_matches": {
                    Pattern regex = regex(next("a pattern"));
                    return load -> subject.apply(load).stream().noneMatch(v -> regex.matcher(v).matches());
                }
                case "in": {
                    List<String> values = list();
                    return load -> subject.apply(load).stream().anyMatch(values::contains);
                }
                case "not_in": {
                    List<String> values = list();
                    return load -> subject.apply(load).stream().noneMatch(values::contains);
                }
                case ">", ">=", "<", "<=": {
                    double bound = number(next("a number"));
                    return load -> subject.apply(load).stream().anyMatch(v -> compare(v, operator, bound));
                }
                default:
                    throw error("unknown operator '" + operator + "'");
            }
        }

        private Function<InstanceLoad, List<String>> subject(String subject) {
            if (subject.startsWith("attribute:") && subject.length() > "attribute:".length()) {
                String name = subject.substring("attribute:".length());
                return load -> single(load.attribute(name));
            }
            return switch (subject) {
                case "ec2InstanceId" -> load -> single(load.instance().ec2InstanceId());
                case "agentConnected" -> load -> single(load.instance().agentConnected() == null ? null
                        : load.instance().agentConnected().toString());
                case "runningTasksCount" -> load -> List.of(String.valueOf(load.tasks()));
                case "task:group" -> load -> load.tasksByGroup().entrySet().stream()
                        .filter(e -> e.getValue() > 0).map(java.util.Map.Entry::getKey).toList();
                default -> throw error("unsupported subject '" + subject + "'");
            };
        }

        private static List<String> single(String value) {
            return value == null ? List.of() : List.of(value);
        }

        private List<String> list() {
            List<String> values = new ArrayList<>();
            if (!accept("[")) {
                values.add(next("a value"));
                return values;
            }
            do {
                values.add(next("a value"));
            } while (accept(","));
            expect("]");
            return values;
        }

        private static boolean compare(String value, String operator, double bound) {
            double number;
            try {
                number = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                return false;
            }
            return switch (operator) {
                case ">" -> number > bound;
                case ">=" -> number >= bound;
                case "<" -> number < bound;
                default -> number <= bound;
            };
        }

        private double number(String token) {
            try {
                return Double.parseDouble(token);
            } catch (NumberFormatException e) {
                throw error("'" + token + "' is not a number");
            }
        }

        private static Pattern glob(String value) {
            StringBuilder regex = new StringBuilder();
            for (String part : value.split("\\*", -1)) {
                if (!regex.isEmpty()) {
                    regex.append(".*");
                }
                regex.append(Pattern.quote(part));
            }
            return Pattern.compile(regex.toString());
        }

        private Pattern regex(String value) {
            try {
                return Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw error("invalid pattern '" + value + "'");
            }
        }

        private boolean accept(String... options) {
            if (position < tokens.size() && List.of(options).contains(tokens.get(position))) {
                position++;
                return true;
            }
            return false;
        }

        private void expect(String token) {
            if (!accept(token)) {
                throw error("expected '" + token + "'");
            }
        }

        private String next(String what) {
            if (position >= tokens.size()) {
                throw error("expected " + what + " at the end");
            }
            return tokens.get(position++);
        }

        EcsException error(String problem) {
            return EcsException.invalidParameter("Invalid placement constraint expression '" + text + "': "
                    + problem + ".");
        }
    }
}
