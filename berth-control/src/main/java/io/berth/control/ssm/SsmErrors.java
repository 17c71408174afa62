package io.berth.control.ssm;

import io.berth.model.EcsException;

/** The errors SSM answers, with its codes; a parameter's value never appears in one. */
final class SsmErrors {

    private SsmErrors() {
    }

    static EcsException validation(String message) {
        return new EcsException("ValidationException", 400, message);
    }

    /** SSM's message for one member that fails a constraint of the API model. */
    static EcsException constraint(String member, Object shown, String constraint) {
        return validation("1 validation error detected: Value " + (shown == null ? "" : "'" + shown + "' ")
                + "at '" + member + "' failed to satisfy constraint: " + constraint);
    }

    /** A constraint of a member whose value is sensitive: the message does not show it. */
    static EcsException sensitiveConstraint(String member, String constraint) {
        return constraint(member, null, constraint);
    }

    static EcsException notFound(String name) {
        return new EcsException("ParameterNotFound", 400, "Parameter " + name + " not found.");
    }

    static EcsException versionNotFound(String name, long version) {
        return new EcsException("ParameterVersionNotFound", 400, "Systems Manager could not find version " + version
                + " of " + name + ". Verify the version and try again.");
    }

    static EcsException alreadyExists() {
        return new EcsException("ParameterAlreadyExists", 400,
                "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
    }

    static EcsException patternMismatch(String pattern) {
        return new EcsException("ParameterPatternMismatchException", 400,
                "Parameter value, cannot be validated against allowedPattern: " + pattern);
    }

    static EcsException invalidAllowedPattern() {
        return new EcsException("InvalidAllowedPatternException", 400,
                "The request does not meet the regular expression requirement.");
    }

    static EcsException hierarchyTooDeep() {
        return new EcsException("HierarchyLevelLimitExceededException", 400,
                "A hierarchy can have a maximum of 15 levels.");
    }

    static EcsException limitExceeded() {
        return new EcsException("ParameterLimitExceeded", 400, "You have exceeded the number of parameters for this "
                + "AWS account. Delete unnecessary parameters and try again.");
    }

    static EcsException maxVersions(String name) {
        return new EcsException("ParameterMaxVersionLimitExceeded", 400, "You attempted to create a new version of "
                + name + " by calling the PutParameter API with the overwrite flag. The oldest version can't be "
                + "deleted because it has a label associated with it. Move the label to another version of the "
                + "parameter, and try again.");
    }

    static EcsException labelLimit() {
        return new EcsException("ParameterVersionLabelLimitExceeded", 400,
                "A parameter version can have maximum 10 labels. Move one or more labels to another version and try again.");
    }

    static EcsException invalidNextToken() {
        return new EcsException("InvalidNextToken", 400, "The specified token isn't valid.");
    }

    static EcsException invalidFilterKey(String message) {
        return new EcsException("InvalidFilterKey", 400, message);
    }

    static EcsException invalidFilterOption(String message) {
        return new EcsException("InvalidFilterOption", 400, message);
    }

    static EcsException invalidFilterValue(String message) {
        return new EcsException("InvalidFilterValue", 400, message);
    }

    static EcsException invalidResourceId() {
        return new EcsException("InvalidResourceId", 400, "The resource ID isn't valid. Verify that you entered the "
                + "correct ID and try again.");
    }

    static EcsException invalidResourceType() {
        return new EcsException("InvalidResourceType", 400, "The resource type isn't valid. For example, if you are "
                + "attempting to tag an EC2 instance, the instance must be a registered managed node.");
    }

    static EcsException tooManyTags() {
        return new EcsException("TooManyTagsError", 400,
                "The Targets parameter includes too many tags. Remove one or more tags and try again.");
    }

    /** A SecureString that does not open: the master key changed or the stored document was altered. */
    static EcsException cannotDecrypt() {
        return new EcsException("InternalServerError", 500, "An error occurred on the server side.");
    }
}
