package io.berth.control.iam;

import io.berth.model.EcsException;
import java.util.regex.Pattern;

/** The errors IAM and STS answer, with their codes, HTTP statuses and messages. */
final class IamErrors {

    static final String NAME_PATTERN = "[\\w+=,.@-]+";
    static final String PATH_PATTERN = "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)";
    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    private static final Pattern PATH = Pattern.compile(PATH_PATTERN);

    private IamErrors() {
    }

    static EcsException noSuchEntity(String message) {
        return new EcsException("NoSuchEntity", 404, message);
    }

    static EcsException alreadyExists(String message) {
        return new EcsException("EntityAlreadyExists", 409, message);
    }

    static EcsException deleteConflict(String message) {
        return new EcsException("DeleteConflict", 409, message);
    }

    static EcsException limitExceeded(String quota, int limit) {
        return new EcsException("LimitExceeded", 409, "Cannot exceed quota for " + quota + ": " + limit);
    }

    static EcsException malformedPolicy(String message) {
        return new EcsException("MalformedPolicyDocument", 400, message);
    }

    static EcsException validation(String message) {
        return new EcsException("ValidationError", 400, message);
    }

    static EcsException invalidInput(String message) {
        return new EcsException("InvalidInput", 400, message);
    }

    static EcsException accessDenied(String principalArn, String action, String resource, boolean explicit) {
        return new EcsException("AccessDenied", 403, "User: " + principalArn + " is not authorized to perform: "
                + action + " on resource: " + resource
                + (explicit ? " with an explicit deny in an identity-based policy" : ""));
    }

    /** IAM's message for one member that fails its constraint. */
    static EcsException constraint(String member, Object value, String constraint) {
        String shown = value == null ? "null" : "'" + value + "'";
        return validation("1 validation error detected: Value " + shown + " at '" + member
                + "' failed to satisfy constraint: " + constraint);
    }

    static String required(String member, String value) {
        if (value == null) {
            throw constraint(member, null, "Member must not be null");
        }
        return value;
    }

    /** A user, role, policy or instance profile name: required, 1 to max characters of IAM's name set. */
    static String name(String member, String value, int max) {
        required(member, value);
        if (value.isEmpty() || value.length() > max) {
            throw constraint(member, value, "Member must have length between 1 and " + max);
        }
        if (!NAME.matcher(value).matches()) {
            throw constraint(member, value, "Member must satisfy regular expression pattern: " + NAME_PATTERN);
        }
        return value;
    }

    /** A path, {@code /} when not given. */
    static String path(String member, String value) {
        if (value == null) {
            return "/";
        }
        if (value.isEmpty() || value.length() > 512) {
            throw constraint(member, value, "Member must have length between 1 and 512");
        }
        if (!PATH.matcher(value).matches()) {
            throw constraint(member, value, "Member must satisfy regular expression pattern: " + PATH_PATTERN);
        }
        return value;
    }

    /** A path prefix of a listing, {@code /} when not given. */
    static String pathPrefix(String value) {
        if (value == null) {
            return "/";
        }
        if (value.isEmpty() || value.length() > 512 || !value.startsWith("/")) {
            throw constraint("pathPrefix", value, "Member must satisfy regular expression pattern: "
                    + "\\u002F[\\u0021-\\u007F]*");
        }
        return value;
    }
}
