package io.berth.control.iam.policy;

import java.util.Arrays;

/**
 * A wildcard pattern of the policy language: {@code *} stands for any run of characters, {@code ?} for
 * exactly one. Compiled once when a policy is parsed; matching allocates nothing for the shapes policies
 * almost always have (exact text, {@code *}, a prefix followed by {@code *}).
 *
 * <p>In ARN mode a {@code *} crosses a colon only when it ends its segment (it is followed by {@code :}
 * or ends the pattern), and a {@code ?} never stands for a colon: IAM lets a trailing {@code *} of a
 * segment expand beyond the colon boundaries but keeps other wildcards within their segment.
 */
final class Glob {

    static final byte LITERAL = 0;
    static final byte STAR = 1;
    static final byte STAR_IN_SEGMENT = 2;
    static final byte ONE = 3;
    static final byte ONE_IN_SEGMENT = 4;

    private enum Shape { EXACT, ANY, PREFIX, GREEDY, GENERAL }

    private final char[] chars;
    private final byte[] kinds;
    private final boolean ignoreCase;
    private final Shape shape;
    private final String literal;

    private Glob(char[] chars, byte[] kinds, boolean ignoreCase) {
        this.chars = chars;
        this.kinds = kinds;
        this.ignoreCase = ignoreCase;
        this.shape = shapeOf(kinds);
        int literalLength = shape == Shape.PREFIX ? chars.length - 1 : chars.length;
        this.literal = shape == Shape.EXACT || shape == Shape.PREFIX ? new String(chars, 0, literalLength) : null;
    }

    /** A pattern where {@code *} and {@code ?} are wildcards and every other character stands for itself. */
    static Glob of(String pattern, boolean ignoreCase, boolean arn) {
        Builder builder = new Builder();
        builder.pattern(pattern);
        return builder.build(ignoreCase, arn);
    }

    /** A pattern that matches exactly this text, wildcard characters included. */
    static Glob literal(String text, boolean ignoreCase) {
        Builder builder = new Builder();
        builder.literal(text);
        return builder.build(ignoreCase, false);
    }

    boolean matches(String text) {
        return matches(text, 0, text.length());
    }

    /** Whether the pattern matches {@code text[from, to)}. */
    boolean matches(String text, int from, int to) {
        int length = to - from;
        return switch (shape) {
            case EXACT -> length == literal.length() && text.regionMatches(ignoreCase, from, literal, 0, length);
            case ANY -> true;
            case PREFIX -> length >= literal.length() && text.regionMatches(ignoreCase, from, literal, 0, literal.length());
            case GREEDY -> greedy(text, from, to);
            case GENERAL -> general(text, from, to);
        };
    }

    /** The part {@code [from, to)} of the pattern's tokens, as a pattern of its own. */
    Glob slice(int from, int to) {
        return new Glob(Arrays.copyOfRange(chars, from, to), Arrays.copyOfRange(kinds, from, to), ignoreCase);
    }

    int tokenCount() {
        return kinds.length;
    }

    /** Whether token {@code index} is a literal colon: where ARN segments of the pattern end. */
    boolean isLiteralColon(int index) {
        return kinds[index] == LITERAL && chars[index] == ':';
    }

    private boolean same(char patternChar, char textChar) {
        if (patternChar == textChar) {
            return true;
        }
        return ignoreCase && (Character.toLowerCase(patternChar) == Character.toLowerCase(textChar)
                || Character.toUpperCase(patternChar) == Character.toUpperCase(textChar));
    }

    /** Classic two-pointer matching; correct when every {@code *} may swallow any character. */
    private boolean greedy(String text, int from, int to) {
        int p = 0;
        int t = from;
        int starAt = -1;
        int starText = 0;
        int m = kinds.length;
        while (t < to) {
            if (p < m && (kinds[p] == ONE || (kinds[p] == LITERAL && same(chars[p], text.charAt(t))))) {
                p++;
                t++;
            } else if (p < m && kinds[p] == STAR) {
                starAt = p++;
                starText = t;
            } else if (starAt >= 0) {
                p = starAt + 1;
                t = ++starText;
            } else {
                return false;
            }
        }
        while (p < m && kinds[p] == STAR) {
            p++;
        }
        return p == m;
    }

    /** Runs the pattern as a small automaton: needed once some wildcards may not cross a colon. */
    private boolean general(String text, int from, int to) {
        int m = kinds.length;
        boolean[] current = new boolean[m + 1];
        boolean[] next = new boolean[m + 1];
        current[0] = true;
        closeOverStars(current);
        for (int t = from; t < to; t++) {
            char c = text.charAt(t);
            Arrays.fill(next, false);
            boolean any = false;
            for (int j = 0; j < m; j++) {
                if (!current[j]) {
                    continue;
                }
                switch (kinds[j]) {
                    case STAR -> next[j] = any = true;
                    case STAR_IN_SEGMENT -> {
                        if (c != ':') {
                            next[j] = any = true;
                        }
                    }
                    case ONE -> next[j + 1] = any = true;
                    case ONE_IN_SEGMENT -> {
                        if (c != ':') {
                            next[j + 1] = any = true;
                        }
                    }
                    default -> {
                        if (same(chars[j], c)) {
                            next[j + 1] = any = true;
                        }
                    }
                }
            }
            if (!any) {
                return false;
            }
            closeOverStars(next);
            boolean[] swap = current;
            current = next;
            next = swap;
        }
        return current[m];
    }

    private void closeOverStars(boolean[] states) {
        for (int j = 0; j < kinds.length; j++) {
            if (states[j] && (kinds[j] == STAR || kinds[j] == STAR_IN_SEGMENT)) {
                states[j + 1] = true;
            }
        }
    }

    private static Shape shapeOf(byte[] kinds) {
        int m = kinds.length;
        boolean restricted = false;
        int wildcards = 0;
        for (byte kind : kinds) {
            if (kind != LITERAL) {
                wildcards++;
            }
            if (kind == STAR_IN_SEGMENT || kind == ONE_IN_SEGMENT) {
                restricted = true;
            }
        }
        if (wildcards == 0) {
            return Shape.EXACT;
        }
        if (wildcards == 1 && kinds[m - 1] == STAR) {
            return m == 1 ? Shape.ANY : Shape.PREFIX;
        }
        return restricted ? Shape.GENERAL : Shape.GREEDY;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < chars.length; i++) {
            out.append(kinds[i] == LITERAL ? chars[i] : (kinds[i] == ONE || kinds[i] == ONE_IN_SEGMENT ? '?' : '*'));
        }
        return out.toString();
    }

    /** Collects pattern text and literal text (such as resolved policy variables) into one pattern. */
    static final class Builder {
        private char[] chars = new char[32];
        private byte[] kinds = new byte[32];
        private int size;

        Builder pattern(String pattern) {
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                add(c, c == '*' ? STAR : c == '?' ? ONE : LITERAL);
            }
            return this;
        }

        Builder literal(String text) {
            for (int i = 0; i < text.length(); i++) {
                add(text.charAt(i), LITERAL);
            }
            return this;
        }

        private void add(char c, byte kind) {
            if (size == chars.length) {
                chars = Arrays.copyOf(chars, size * 2);
                kinds = Arrays.copyOf(kinds, size * 2);
            }
            chars[size] = c;
            kinds[size] = kind;
            size++;
        }

        Glob build(boolean ignoreCase, boolean arn) {
            char[] c = Arrays.copyOf(chars, size);
            byte[] k = Arrays.copyOf(kinds, size);
            if (arn) {
                for (int i = 0; i < size; i++) {
                    boolean endsSegment = i == size - 1 || (k[i + 1] == LITERAL && c[i + 1] == ':');
                    if (k[i] == STAR && !endsSegment) {
                        k[i] = STAR_IN_SEGMENT;
                    } else if (k[i] == ONE) {
                        k[i] = ONE_IN_SEGMENT;
                    }
                }
            }
            return new Glob(c, k, ignoreCase);
        }
    }
}
