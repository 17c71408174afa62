package io.berth.control.ssm;

import java.util.regex.Pattern;

/**
 * Matches a value against an AllowedPattern a caller wrote, with a bound on the work: a pattern that
 * backtracks without end on a value counts as not matching instead of holding a thread.
 */
final class BoundedMatch implements CharSequence {

    private static final long MAX_READS = 5_000_000;

    /** Thrown from within the matcher once it has read too much. */
    private static final class TooMuchWork extends RuntimeException {
        TooMuchWork() {
            super(null, null, false, false);
        }
    }

    private final String text;
    private final long[] reads;

    private BoundedMatch(String text, long[] reads) {
        this.text = text;
        this.reads = reads;
    }

    /** Whether the pattern finds a match in the value within the bound. */
    static boolean finds(Pattern pattern, String value) {
        try {
            return pattern.matcher(new BoundedMatch(value, new long[1])).find();
        } catch (TooMuchWork | StackOverflowError e) {
            return false;
        }
    }

    @Override
    public char charAt(int index) {
        if (++reads[0] > MAX_READS) {
            throw new TooMuchWork();
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new BoundedMatch(text.substring(start, end), reads);
    }

    @Override
    public String toString() {
        return text;
    }
}
