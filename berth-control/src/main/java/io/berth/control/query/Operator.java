package io.berth.control.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The comparison operators of the cluster query language. A subject may have several values
 * ({@code task:group}); a positive operator holds when any value satisfies it, and each negated
 * operator is exactly the negation of its positive one, so {@code !=} also holds when the subject
 * is absent.
 */
public enum Operator {
    EQUALS("==", "equals"),
    NOT_EQUALS("!=", "not_equals"),
    GREATER_THAN(">", "greater_than"),
    GREATER_THAN_EQUAL(">=", "greater_than_equal"),
    LESS_THAN("<", "less_than"),
    LESS_THAN_EQUAL("<=", "less_than_equal"),
    EXISTS("exists", "exists"),
    NOT_EXISTS("!exists", "not_exists"),
    IN("in", "in"),
    NOT_IN("!in", "not_in"),
    MATCHES("=~", "matches"),
    NOT_MATCHES("!~", "not_matches");

    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+)+");

    private final String symbol;
    private final String word;

    Operator(String symbol, String word) {
        this.symbol = symbol;
        this.word = word;
    }

    public String symbol() {
        return symbol;
    }

    /** The operator a symbol or word names, such as {@code >=} or {@code greater_than_equal}. */
    static Optional<Operator> named(String name) {
        for (Operator operator : values()) {
            if (operator.symbol.equals(name) || operator.word.equalsIgnoreCase(name)) {
                return Optional.of(operator);
            }
        }
        return Optional.empty();
    }

    boolean takesList() {
        return this == IN || this == NOT_IN;
    }

    boolean takesNoArgument() {
        return this == EXISTS || this == NOT_EXISTS;
    }

    boolean isPattern() {
        return this == MATCHES || this == NOT_MATCHES;
    }

    boolean test(List<String> values, List<String> arguments) {
        return switch (this) {
            case EQUALS -> values.stream().anyMatch(v -> same(v, arguments.get(0)));
            case NOT_EQUALS -> !EQUALS.test(values, arguments);
            case GREATER_THAN -> values.stream().anyMatch(v -> compare(v, arguments.get(0)) > 0);
            case GREATER_THAN_EQUAL -> values.stream().anyMatch(v -> compare(v, arguments.get(0)) >= 0);
            case LESS_THAN -> values.stream().anyMatch(v -> compare(v, arguments.get(0)) < 0);
            case LESS_THAN_EQUAL -> values.stream().anyMatch(v -> compare(v, arguments.get(0)) <= 0);
            case EXISTS -> !values.isEmpty();
            case NOT_EXISTS -> values.isEmpty();
            case IN -> values.stream().anyMatch(v -> arguments.stream().anyMatch(a -> same(v, a)));
            case NOT_IN -> !IN.test(values, arguments);
            case MATCHES -> {
                Pattern pattern = Pattern.compile(arguments.get(0));
                yield values.stream().anyMatch(v -> pattern.matcher(v).matches());
            }
            case NOT_MATCHES -> !MATCHES.test(values, arguments);
        };
    }

    /** Equal as text, or as the same number, version or point in time written differently. */
    static boolean same(String value, String argument) {
        return value.equals(argument) || typedCompare(value, argument).orElse(1) == 0;
    }

    /**
     * Orders two values the way they read: as numbers when both are numbers, as points in time when
     * both are dates, as versions when both are dotted versions ({@code 1.14.5}), else as text.
     */
    static int compare(String value, String argument) {
        return typedCompare(value, argument).orElseGet(() -> value.compareTo(argument));
    }

    private static Optional<Integer> typedCompare(String value, String argument) {
        Optional<BigDecimal> leftNumber = number(value);
        Optional<BigDecimal> rightNumber = number(argument);
        if (leftNumber.isPresent() && rightNumber.isPresent()) {
            return Optional.of(leftNumber.get().compareTo(rightNumber.get()));
        }
        if (VERSION.matcher(value).matches() && VERSION.matcher(argument).matches()) {
            return Optional.of(compareVersions(value, argument));
        }
        Optional<Instant> leftTime = instant(value);
        Optional<Instant> rightTime = instant(argument);
        if (leftTime.isPresent() && rightTime.isPresent()) {
            return Optional.of(leftTime.get().compareTo(rightTime.get()));
        }
        return Optional.empty();
    }

    private static Optional<BigDecimal> number(String text) {
        try {
            return Optional.of(new BigDecimal(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int compareVersions(String left, String right) {
        String[] a = left.split("\\.");
        String[] b = right.split("\\.");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            BigDecimal x = i < a.length ? new BigDecimal(a[i]) : BigDecimal.ZERO;
            BigDecimal y = i < b.length ? new BigDecimal(b[i]) : BigDecimal.ZERO;
            int order = x.compareTo(y);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }

    /** A date in one of the forms ECS accepts; a time without zone, or a bare date, is UTC. */
    static Optional<Instant> instant(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return Optional.of(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return Optional.of(LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
