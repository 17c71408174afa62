package io.berth.control.query;

import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A recursive-descent parser for the cluster query language:
 * <pre>
 * expression := conjunction (("or" | "||") conjunction)*
 * conjunction := unary (("and" | "&&") unary)*
 * unary      := ("not" | "!") unary | "(" expression ")" | comparison
 * comparison := subject operator [argument | "[" value ("," value)* "]" | "(" value ("," value)* ")"]
 * </pre>
 * Values are bare words or quoted with ' or ". A pattern (after {@code =~} or {@code !~}) runs to
 * the next blank so that it may hold the characters a regular expression needs.
 */
final class QueryParser {

    private static final Set<Operator> IDENTITY_OPERATORS = EnumSet.of(Operator.EQUALS, Operator.NOT_EQUALS,
            Operator.IN, Operator.NOT_IN, Operator.MATCHES, Operator.NOT_MATCHES);
    private static final Set<Operator> ORDER_OPERATORS = EnumSet.of(Operator.EQUALS, Operator.NOT_EQUALS,
            Operator.GREATER_THAN, Operator.GREATER_THAN_EQUAL, Operator.LESS_THAN, Operator.LESS_THAN_EQUAL);
    /** The subjects other than attributes, with the operators ECS allows on each. */
    private static final Map<String, Set<Operator>> PROPERTIES = Map.of(
            "agentConnected", IDENTITY_OPERATORS,
            "agentVersion", ORDER_OPERATORS,
            "ec2InstanceId", IDENTITY_OPERATORS,
            "registeredAt", ORDER_OPERATORS,
            "runningTasksCount", ORDER_OPERATORS,
            "task:group", EnumSet.allOf(Operator.class));
    private static final String DELIMITERS = "()[],'\"=!<>~&|";

    private final String text;
    private int position;

    QueryParser(String text) {
        this.text = text == null ? "" : text;
    }

    Expression parse() {
        skipBlanks();
        if (atEnd()) {
            throw error("the expression is empty");
        }
        Expression expression = disjunction();
        skipBlanks();
        if (!atEnd()) {
            throw error("expected 'and', 'or' or the end but found '" + rest() + "'");
        }
        return expression;
    }

    private Expression disjunction() {
        Expression left = conjunction();
        while (acceptKeyword("or", "||")) {
            left = new Expression.Or(left, conjunction());
        }
        return left;
    }

    private Expression conjunction() {
        Expression left = unary();
        while (acceptKeyword("and", "&&")) {
            left = new Expression.And(left, unary());
        }
        return left;
    }

    private Expression unary() {
        skipBlanks();
        if (atEnd()) {
            throw error("expected an expression but found the end");
        }
        if (peek() == '!' && !startsWith("!=") && !startsWith("!~")) {
            position++;
            return new Expression.Not(unary());
        }
        if (peekWordIs("not")) {
            position += 3;
            return new Expression.Not(unary());
        }
        if (peek() == '(') {
            position++;
            Expression inner = disjunction();
            skipBlanks();
            expect(')');
            return inner;
        }
        return comparison();
    }

    private Expression comparison() {
        int subjectAt = position;
        String subject = word();
        if (subject.isEmpty()) {
            throw error("expected a subject such as attribute:<name> but found '" + rest() + "'");
        }
        if (!subject.startsWith(Expression.Comparison.ATTRIBUTE_PREFIX) && !PROPERTIES.containsKey(subject)) {
            throw errorAt(subjectAt, "unknown subject '" + subject + "'");
        }
        if (subject.equals(Expression.Comparison.ATTRIBUTE_PREFIX)) {
            throw errorAt(subjectAt, "the attribute name is missing");
        }
        skipBlanks();
        int operatorAt = position;
        Operator operator = operator();
        if (PROPERTIES.containsKey(subject) && !PROPERTIES.get(subject).contains(operator)) {
            throw errorAt(operatorAt, "the operator " + operator.symbol() + " does not apply to " + subject);
        }
        List<String> arguments = new ArrayList<>();
        skipBlanks();
        int argumentAt = position;
        if (operator.takesList()) {
            arguments.addAll(list());
        } else if (operator.isPattern()) {
            String pattern = pattern();
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw errorAt(argumentAt, "invalid pattern '" + pattern + "'");
            }
            arguments.add(pattern);
        } else if (!operator.takesNoArgument()) {
            arguments.add(value());
        }
        if (subject.equals("registeredAt")) {
            for (String argument : arguments) {
                if (Operator.instant(argument).isEmpty()) {
                    throw errorAt(argumentAt, "'" + argument
                            + "' is not a date such as 2018-06-18T22:28:28Z, 2018-06-18T22:28:28 or 2018-06-18");
                }
            }
        }
        return new Expression.Comparison(subject, operator, arguments);
    }

    private Operator operator() {
        skipBlanks();
        int at = position;
        if (atEnd()) {
            throw error("expected an operator but found the end");
        }
        for (String symbol : List.of("==", "!=", ">=", "<=", "=~", "!~", ">", "<")) {
            if (startsWith(symbol)) {
                position += symbol.length();
                return Operator.named(symbol).orElseThrow();
            }
        }
        boolean negated = false;
        if (peek() == '!') {
            position++;
            negated = true;
        }
        skipBlanks();
        String name = word();
        if (!negated && name.equalsIgnoreCase("not")) {
            skipBlanks();
            name = word();
            negated = true;
        }
        if (negated) {
            if (name.equalsIgnoreCase("in")) {
                return Operator.NOT_IN;
            }
            if (name.equalsIgnoreCase("exists")) {
                return Operator.NOT_EXISTS;
            }
            throw errorAt(at, "expected 'in' or 'exists' after the negation");
        }
        String found = name.isEmpty() ? rest() : name;
        return Operator.named(name).orElseThrow(() -> errorAt(at, "expected an operator but found '" + found + "'"));
    }

    private List<String> list() {
        char close;
        if (!atEnd() && peek() == '[') {
            close = ']';
        } else if (!atEnd() && peek() == '(') {
            close = ')';
        } else {
            throw error("expected a list such as [a, b]");
        }
        position++;
        List<String> values = new ArrayList<>();
        while (true) {
            skipBlanks();
            values.add(value());
            skipBlanks();
            if (!atEnd() && peek() == ',') {
                position++;
                continue;
            }
            expect(close);
            return values;
        }
    }

    private String value() {
        skipBlanks();
        if (!atEnd() && (peek() == '\'' || peek() == '"')) {
            return quoted();
        }
        String value = word();
        if (value.isEmpty()) {
            throw error(atEnd() ? "expected a value but found the end" : "expected a value but found '" + rest() + "'");
        }
        return value;
    }

    private String pattern() {
        if (!atEnd() && (peek() == '\'' || peek() == '"')) {
            return quoted();
        }
        int start = position;
        while (!atEnd() && !Character.isWhitespace(peek())) {
            position++;
        }
        // A closing parenthesis that the pattern did not open closes the enclosing group instead.
        int depth = 0;
        int end = start;
        for (int i = start; i < position; i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
                end = Math.min(i + 1, position);
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (depth == 0) {
                    break;
                }
                depth--;
            }
            end = i + 1;
        }
        position = end;
        if (end == start) {
            throw error("expected a pattern");
        }
        return text.substring(start, end);
    }

    private String quoted() {
        char quote = peek();
        int start = position;
        position++;
        int close = text.indexOf(quote, position);
        if (close < 0) {
            throw errorAt(start, "the quoted value is not closed");
        }
        String value = text.substring(position, close);
        position = close + 1;
        return value;
    }

    private String word() {
        int start = position;
        while (!atEnd() && !Character.isWhitespace(peek()) && DELIMITERS.indexOf(peek()) < 0) {
            position++;
        }
        return text.substring(start, position);
    }

    private boolean acceptKeyword(String word, String symbol) {
        skipBlanks();
        if (startsWith(symbol)) {
            position += symbol.length();
            return true;
        }
        if (peekWordIs(word)) {
            position += word.length();
            return true;
        }
        return false;
    }

    /** Whether the next word is this keyword, followed by a blank, a parenthesis or the end. */
    private boolean peekWordIs(String keyword) {
        if (!text.regionMatches(true, position, keyword, 0, keyword.length())) {
            return false;
        }
        int after = position + keyword.length();
        return after == text.length() || Character.isWhitespace(text.charAt(after)) || text.charAt(after) == '(';
    }

    private void expect(char c) {
        if (atEnd() || peek() != c) {
            throw error("expected '" + c + "' but found " + (atEnd() ? "the end" : "'" + rest() + "'"));
        }
        position++;
    }

    private void skipBlanks() {
        while (!atEnd() && Character.isWhitespace(peek())) {
            position++;
        }
    }

    private boolean startsWith(String prefix) {
        return text.startsWith(prefix, position);
    }

    private boolean atEnd() {
        return position >= text.length();
    }

    private char peek() {
        return text.charAt(position);
    }

    private String rest() {
        String rest = text.substring(position);
        return rest.length() > 20 ? rest.substring(0, 20) + "..." : rest;
    }

    private EcsException error(String problem) {
        return errorAt(position, problem);
    }

    private EcsException errorAt(int at, String problem) {
        return EcsException.invalidParameter("Invalid expression at position " + (at + 1) + ": " + problem + ".");
    }
}
