package io.berth.model;

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
}
