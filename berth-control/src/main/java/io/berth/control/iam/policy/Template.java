package io.berth.control.iam.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A policy value that may hold policy variables ({@code ${aws:username}}, {@code ${aws:PrincipalTag/team, 'none'}})
 * and the escapes {@code ${*}}, {@code ${?}} and {@code ${$}}. A value without variables is resolved once,
 * when the policy is parsed. A variable whose key is missing from the request, or holds several values,
 * leaves the value unresolved: it then matches nothing.
 */
final class Template {

    private sealed interface Part permits Pattern, Literal, Variable {
    }

    /** Policy text: {@code *} and {@code ?} are wildcards where the operator allows them. */
    private record Pattern(String text) implements Part {
    }

    /** Text that stands for itself, wildcard characters included. */
    private record Literal(String text) implements Part {
    }

    private record Variable(String key, String defaultValue) implements Part {
    }

    private final String source;
    private final List<Part> parts;
    private final boolean constant;

    private Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
        this.constant = parts.stream().noneMatch(Variable.class::isInstance);
    }

    /** The value as written; {@code variables} is false for policies of version 2008-10-17, which have none. */
    static Template of(String source, boolean variables) {
        List<Part> parts = new ArrayList<>();
        if (!variables) {
            parts.add(new Pattern(source));
            return new Template(source, parts);
        }
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            int start = source.indexOf("${", i);
            int end = start < 0 ? -1 : closingBrace(source, start + 2);
            if (start < 0 || end < 0) {
                text.append(source, i, source.length());
                break;
            }
            text.append(source, i, start);
            String inside = source.substring(start + 2, end);
            Part part = variablePart(inside);
            if (part == null) {
                text.append(source, start, end + 1);
            } else {
                if (!text.isEmpty()) {
                    parts.add(new Pattern(text.toString()));
                    text.setLength(0);
                }
                parts.add(part);
            }
            i = end + 1;
        }
        if (!text.isEmpty()) {
            parts.add(new Pattern(text.toString()));
        }
        return new Template(source, parts);
    }

    /** The closing brace of a variable, skipping quoted default text ({@code ''} is a quote within it). */
    private static int closingBrace(String source, int from) {
        boolean quoted = false;
        for (int i = from; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == '}' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static Part variablePart(String inside) {
        String trimmed = inside.trim();
        switch (trimmed) {
            case "*", "?", "$" -> {
                return new Literal(trimmed);
            }
            default -> {
            }
        }
        int comma = trimmed.indexOf(',');
        String key = (comma < 0 ? trimmed : trimmed.substring(0, comma)).trim();
        if (key.isEmpty() || key.indexOf(' ') >= 0) {
            return null;
        }
        String defaultValue = null;
        if (comma >= 0) {
            String rest = trimmed.substring(comma + 1).trim();
            if (rest.length() < 2 || rest.charAt(0) != '\'' || rest.charAt(rest.length() - 1) != '\'') {
                return null;
            }
            defaultValue = rest.substring(1, rest.length() - 1).replace("''", "'");
        }
        return new Variable(key.toLowerCase(Locale.ROOT), defaultValue);
    }

    boolean constant() {
        return constant;
    }

    /** The value as text (wildcards are plain characters here), or null when a variable cannot be resolved. */
    String text(RequestContext context) {
        if (constant && parts.size() == 1 && parts.get(0) instanceof Pattern pattern) {
            return pattern.text();
        }
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Pattern pattern -> out.append(pattern.text());
                case Literal literal -> out.append(literal.text());
                case Variable variable -> {
                    String value = resolve(variable, context);
                    if (value == null) {
                        return null;
                    }
                    out.append(value);
                }
            }
        }
        return out.toString();
    }

    /** The value as a wildcard pattern, or null when a variable cannot be resolved. */
    Glob glob(RequestContext context, boolean ignoreCase, boolean arn) {
        Glob.Builder builder = new Glob.Builder();
        for (Part part : parts) {
            switch (part) {
                case Pattern pattern -> builder.pattern(pattern.text());
                case Literal literal -> builder.literal(literal.text());
                case Variable variable -> {
                    String value = resolve(variable, context);
                    if (value == null) {
                        return null;
                    }
                    builder.literal(value);
                }
            }
        }
        return builder.build(ignoreCase, arn);
    }

    private static String resolve(Variable variable, RequestContext context) {
        List<String> values = context == null ? null : context.values(variable.key());
        if (values != null && values.size() == 1) {
            return values.get(0);
        }
        return variable.defaultValue();
    }

    @Override
    public String toString() {
        return source;
    }
}
