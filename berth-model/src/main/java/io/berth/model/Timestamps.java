package io.berth.model;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/** AWS JSON timestamps: epoch seconds as a number with up to millisecond fraction. */
public final class Timestamps {

    /** Epoch milliseconds fit a long up to about 9.2e15 seconds. */
    private static final int MAX_INTEGER_DIGITS = 16;

    private Timestamps() {
    }

    public static BigDecimal toEpochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    /**
     * The instant of a number of epoch seconds, to the millisecond. The magnitude is checked before any arithmetic:
     * a number such as {@code 1e99999999} is a few bytes on the wire but a hundred million digits once expanded.
     */
    public static Instant fromEpochSeconds(BigDecimal seconds) {
        long integerDigits = (long) seconds.precision() - seconds.scale();
        if (seconds.signum() == 0 || integerDigits < -3) {
            return Instant.EPOCH;
        }
        if (integerDigits > MAX_INTEGER_DIGITS) {
            throw EcsException.serialization("Timestamp is out of range.");
        }
        try {
            BigDecimal millis = seconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP);
            return Instant.ofEpochMilli(millis.longValueExact());
        } catch (ArithmeticException e) {
            throw EcsException.serialization("Timestamp is out of range.");
        }
    }

    /**
     * The current number token as a timestamp in epoch seconds. Plain decimals (all AWS clients write these) are
     * read digit by digit, rounded half up to the millisecond; anything else (exponents, very long numbers) goes
     * through {@link BigDecimal}, with the same result.
     */
    static Instant fromNumberToken(JsonParser parser) throws IOException {
        char[] chars = parser.getTextCharacters();
        int at = parser.getTextOffset();
        int end = at + parser.getTextLength();
        boolean negative = at < end && chars[at] == '-';
        if (negative) {
            at++;
        }
        long seconds = 0;
        int digits = 0;
        for (; at < end && chars[at] >= '0' && chars[at] <= '9'; at++, digits++) {
            seconds = seconds * 10 + (chars[at] - '0');
        }
        if (digits == 0 || digits > 15) {
            return fromEpochSeconds(parser.getDecimalValue());
        }
        long millis = seconds * 1000;
        if (at < end && chars[at] == '.') {
            at++;
            int fractionDigits = 0;
            for (; at < end && chars[at] >= '0' && chars[at] <= '9'; at++, fractionDigits++) {
                int digit = chars[at] - '0';
                if (fractionDigits < 3) {
                    millis += digit * (fractionDigits == 0 ? 100 : fractionDigits == 1 ? 10 : 1);
                } else if (fractionDigits == 3 && digit >= 5) {
                    millis++;
                }
            }
            if (fractionDigits == 0) {
                return fromEpochSeconds(parser.getDecimalValue());
            }
        }
        if (at != end) {
            return fromEpochSeconds(parser.getDecimalValue());
        }
        return Instant.ofEpochMilli(negative ? -millis : millis);
    }
}
