package io.berth.control.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A CloudWatch Logs filter pattern, parsed once and matched against many messages. The forms:
 * <ul>
 * <li>empty: every event;</li>
 * <li>terms, case-sensitive, each found anywhere in the message: {@code ERROR}, a quoted phrase
 * {@code "Connection refused"}; every plain term must be found, none of the {@code -term}s, and at
 * least one of the {@code ?term}s when there are any;</li>
 * <li>a regular expression between percent signs, found anywhere in the message: {@code %5\d\d%};</li>
 * <li>a JSON pattern, matched against messages that are JSON: {@code { $.level = "error" && $.ms > 100 }}
 * (see {@link JsonPattern}).</li>
 * </ul>
 * Bad syntax is refused with InvalidParameterException.
 */
public final class FilterPattern {

    /** The longest pattern Logs takes. */
    static final int MAX_LENGTH = 1024;
    private static final FilterPattern EVERYTHING = new FilterPattern(message -> true, List.of());

    private final Predicate<String> matcher;
    private final List<List<String>> requiredTexts;

    private FilterPattern(Predicate<String> matcher, List<List<String>> requiredTexts) {
        this.matcher = matcher;
        this.requiredTexts = requiredTexts;
    }

    public static FilterPattern parse(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return EVERYTHING;
        }
        String text = pattern.strip();
        if (text.startsWith("{")) {
            return new FilterPattern(JsonPattern.parse(text)::matches, List.of());
        }
        if (text.startsWith("[")) {
            throw invalid("space-delimited patterns ([field, ...]) are not supported");
        }
        if (text.length() >= 2 && text.startsWith("%") && text.endsWith("%")) {
            Pattern regex = regex(text.substring(1, text.length() - 1));
            return new FilterPattern(message -> regex.matcher(message).find(), List.of());
        }
        return terms(text);
    }

    public boolean matches(String message) {
        return matcher.test(message);
    }

    /**
     * What any matching message contains: for each list, at least one of its strings (case-sensitive).
     * A store may use it to skip events before they are matched; it is never more than a hint.
     */
    public List<List<String>> requiredTexts() {
        return requiredTexts;
    }

    static Pattern regex(String body) {
        if (body.isEmpty()) {
            throw invalid("an empty regular expression");
        }
        if (body.indexOf('(') >= 0 || body.indexOf(')') >= 0) {
            throw invalid("parentheses are not supported in regular expressions");
        }
        try {
            return Pattern.compile(body);
        } catch (PatternSyntaxException e) {
            throw invalid("the regular expression " + body + " does not compile");
        }
    }

    static RuntimeException invalid(String detail) {
        return LogsErrors.invalidParameter("Invalid filter pattern: " + detail + ".");
    }

    private static FilterPattern terms(String text) {
        List<String> all = new ArrayList<>();
        List<String> any = new ArrayList<>();
        List<String> none = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            List<String> kind = all;
            if ((c == '?' || c == '-') && i + 1 < text.length() && !Character.isWhitespace(text.charAt(i + 1))) {
                kind = c == '?' ? any : none;
                i++;
            }
            StringBuilder term = new StringBuilder();
            i = text.charAt(i) == '"' ? quoted(text, i, term) : bare(text, i, term);
            if (term.isEmpty()) {
                throw invalid("an empty term");
            }
            kind.add(term.toString());
        }
        List<List<String>> required = new ArrayList<>();
        all.forEach(term -> required.add(List.of(term)));
        if (!any.isEmpty()) {
            required.add(List.copyOf(any));
        }
        return new FilterPattern(message -> matchesTerms(message, all, any, none), List.copyOf(required));
    }

    private static boolean matchesTerms(String message, List<String> all, List<String> any, List<String> none) {
        for (String term : all) {
            if (!message.contains(term)) {
                return false;
            }
        }
        for (String term : none) {
            if (message.contains(term)) {
                return false;
            }
        }
        if (any.isEmpty()) {
            return true;
        }
        for (String term : any) {
            if (message.contains(term)) {
                return true;
            }
        }
        return false;
    }

    /** Reads a quoted phrase from the quote at {@code start}; answers where reading goes on. */
    private static int quoted(String text, int start, StringBuilder term) {
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                term.append(text.charAt(i + 1));
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                term.append(c);
                i++;
            }
        }
        throw invalid("a quoted term is not closed");
    }

    private static int bare(String text, int start, StringBuilder term) {
        int i = start;
        while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
            char c = text.charAt(i);
            if (c == '"' || c == '{' || c == '}' || c == '[' || c == ']') {
                throw invalid("the term " + text.substring(start, i + 1) + " must be quoted");
            }
            term.append(c);
            i++;
        }
        return i;
    }
}
