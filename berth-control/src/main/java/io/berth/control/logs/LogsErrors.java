package io.berth.control.logs;

import io.berth.model.EcsException;
import java.util.Collection;
import java.util.regex.Pattern;

/** The errors CloudWatch Logs answers, with its codes and messages, and the checks of its input shapes. */
final class LogsErrors {

    static final String GROUP_NAME_PATTERN = "[\\.\\-_/#A-Za-z0-9]+";
    static final String STREAM_NAME_PATTERN = "[^:*]*";
    private static final Pattern GROUP_NAME = Pattern.compile(GROUP_NAME_PATTERN);
    private static final Pattern STREAM_NAME = Pattern.compile(STREAM_NAME_PATTERN);
    static final int MAX_NAME_LENGTH = 512;

    private LogsErrors() {
    }

    static EcsException invalidParameter(String message) {
        return new EcsException("InvalidParameterException", 400, message);
    }

    static EcsException groupNotFound() {
        return EcsException.resourceNotFound("The specified log group does not exist.");
    }

    static EcsException streamNotFound() {
        return EcsException.resourceNotFound("The specified log stream does not exist.");
    }

    static EcsException groupExists() {
        return new EcsException("ResourceAlreadyExistsException", 400, "The specified log group already exists");
    }

    static EcsException streamExists() {
        return new EcsException("ResourceAlreadyExistsException", 400, "The specified log stream already exists");
    }

    static EcsException invalidToken() {
        return invalidParameter("The specified nextToken is invalid.");
    }

    /** Logs' message for one member that fails its constraint. */
    static EcsException constraint(String member, Object value, String constraint) {
        String shown = value == null ? "null" : "'" + value + "'";
        return invalidParameter("1 validation error detected: Value " + shown + " at '" + member
                + "' failed to satisfy constraint: " + constraint);
    }

    static <T> T required(String member, T value) {
        if (value == null) {
            throw constraint(member, null, "Member must not be null");
        }
        return value;
    }

    static String groupName(String member, String value) {
        return name(member, required(member, value), GROUP_NAME, GROUP_NAME_PATTERN);
    }

    static String streamName(String member, String value) {
        return name(member, required(member, value), STREAM_NAME, STREAM_NAME_PATTERN);
    }

    private static String name(String member, String value, Pattern pattern, String patternText) {
        length(member, value, 1, MAX_NAME_LENGTH);
        if (!pattern.matcher(value).matches()) {
            throw constraint(member, value, "Member must satisfy regular expression pattern: " + patternText);
        }
        return value;
    }

    /** An optional string of a length within bounds; null stays null. */
    static String length(String member, String value, int min, int max) {
        if (value != null && (value.length() < min || value.length() > max)) {
            throw constraint(member, value, "Member must have length " + (value.length() < min
                    ? "greater than or equal to " + min : "less than or equal to " + max));
        }
        return value;
    }

    /** An optional limit within bounds, or the default when absent. */
    static int limit(String member, Integer value, int max, int defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        if (value < 1 || value > max) {
            throw constraint(member, value, "Member must have value " + (value < 1
                    ? "greater than or equal to 1" : "less than or equal to " + max));
        }
        return value;
    }

    /** An optional time in milliseconds since the epoch, never negative. */
    static Long time(String member, Long value) {
        if (value != null && value < 0) {
            throw constraint(member, value, "Member must have value greater than or equal to 0");
        }
        return value;
    }

    static void size(String member, Collection<?> values, int min, int max) {
        if (values.size() < min || values.size() > max) {
            throw invalidParameter("1 validation error detected: Value at '" + member
                    + "' failed to satisfy constraint: Member must have length " + (values.size() < min
                    ? "greater than or equal to " + min : "less than or equal to " + max));
        }
    }
}
