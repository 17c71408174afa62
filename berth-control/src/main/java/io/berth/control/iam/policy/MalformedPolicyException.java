package io.berth.control.iam.policy;

/**
 * A policy document IAM would refuse; the message is the one IAM gives with its
 * {@code MalformedPolicyDocument} error ("Syntax errors in policy.", "Policy statement must contain actions.", ...).
 */
public final class MalformedPolicyException extends RuntimeException {

    public static final String INVALID_JSON = "This policy contains invalid Json";
    public static final String SYNTAX_ERRORS = "Syntax errors in policy.";
    public static final String LEGACY_PARSING = "The policy failed legacy parsing";
    public static final String PRINCIPAL_NOT_ALLOWED = "Policy document should not specify a principal.";
    public static final String PRINCIPAL_MISSING = "Missing required field Principal";
    public static final String RESOURCE_PROHIBITED = "Has prohibited field Resource";
    public static final String TRUST_ACTIONS = "AssumeRole policy may only specify STS AssumeRole actions.";
    public static final String ACTIONS_MISSING = "Policy statement must contain actions.";
    public static final String RESOURCES_MISSING = "Policy statement must contain resources.";
    public static final String ONE_COLON = "Actions/Condition can contain only one colon.";
    public static final String VENDOR_MISSING = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
    public static final String SID_NOT_UNIQUE = "Statement IDs (SID) in a single policy must be unique.";
    public static final String SID_NOT_ALPHANUMERIC =
            "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*";

    public MalformedPolicyException(String message) {
        super(message);
    }
}
