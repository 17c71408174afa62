package io.berth.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/** AWS JSON timestamps: epoch seconds as a number with up to millisecond fraction. */
public final class Timestamps {

    private Timestamps() {
    }

    public static BigDecimal toEpochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    public static Instant fromEpochSeconds(BigDecimal seconds) {
        try {
            BigDecimal millis = seconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP);
            return Instant.ofEpochMilli(millis.longValueExact());
        } catch (ArithmeticException e) {
            throw EcsException.serialization("Timestamp " + seconds.toPlainString() + " is out of range.");
        }
    }
}
