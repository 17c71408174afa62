package io.berth.control.logs;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The paging tokens of Logs. GetLogEvents' are AWS's: {@code f/} or {@code b/}, 56 digits and
 * {@code /s}, here the position they read from (20 digits of timestamp, 20 of the event id plus
 * one, 16 zeros). The others are opaque: the place the next page starts, base64url-encoded.
 */
final class LogTokens {

    private static final String DIGITS_TAIL = "0".repeat(16);
    private static final String SUFFIX = "/s";

    private LogTokens() {
    }

    /** A GetLogEvents token: a direction and the boundary it reads from. */
    record Cursor(boolean forward, EventPosition boundary) {

        String token() {
            return (forward ? "f/" : "b/") + String.format("%020d%020d", boundary.timestamp(), boundary.id() + 1)
                    + DIGITS_TAIL + SUFFIX;
        }

        /** Reads a token, with or without AWS's {@code /s}; refuses anything else as AWS does. */
        static Cursor parse(String token) {
            String body = token.endsWith(SUFFIX) ? token.substring(0, token.length() - SUFFIX.length()) : token;
            if (body.length() != 58 || (!body.startsWith("f/") && !body.startsWith("b/"))
                    || !body.endsWith(DIGITS_TAIL)) {
                throw LogsErrors.invalidToken();
            }
            try {
                long timestamp = Long.parseLong(body.substring(2, 22));
                long id = Long.parseLong(body.substring(22, 42)) - 1;
                if (timestamp < 0 || id < -1) {
                    throw LogsErrors.invalidToken();
                }
                return new Cursor(body.charAt(0) == 'f', new EventPosition(timestamp, id));
            } catch (NumberFormatException e) {
                throw LogsErrors.invalidToken();
            }
        }
    }

    /** An opaque token holding text (the name or position the next page starts after). */
    static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw LogsErrors.invalidToken();
        }
    }

    /** A token for the event position a scan continues after. */
    static String position(EventPosition position) {
        return encode("p:" + position.timestamp() + ":" + position.id());
    }

    static EventPosition position(String token) {
        String text = decode(token);
        String[] parts = text.split(":");
        if (parts.length != 3 || !parts[0].equals("p")) {
            throw LogsErrors.invalidToken();
        }
        try {
            return new EventPosition(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
            throw LogsErrors.invalidToken();
        }
    }
}
