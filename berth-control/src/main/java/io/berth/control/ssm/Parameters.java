package io.berth.control.ssm;

import io.berth.control.Scope;
import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import io.berth.control.state.Region;
import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The parameter kinds, the rules of parameter names and the ways a request names a parameter: its
 * name, its ARN, either followed by {@code :version} or {@code :label}.
 */
final class Parameters {

    /** Stored parameters by name. */
    static final Kind<StoredParameter> KIND = Kinds.json("ssm-parameter", StoredParameter.class);
    /** Stored versions by name, {@code #} and the zero-padded version number, so a name's versions sort in order. */
    static final Kind<ParameterVersion> VERSIONS = Kinds.json("ssm-parameter-version", ParameterVersion.class);

    static final String DEFAULT_KEY_ID = "alias/aws/ssm";
    static final int MAX_NAME_LENGTH = 1011;
    static final int MAX_LEVELS = 15;
    private static final Pattern NAME_CHARACTERS = Pattern.compile("[a-zA-Z0-9_.\\-/]+");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final String INVALID_NAME = "Parameter name: can't be prefixed with \"ssm\" (case-insensitive). "
            + "If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed "
            + "as a mix of letters, numbers and the following 3 symbols .-_";

    /** A parameter as a request names it: the name, and the version or label after it, if any. */
    record Ref(String name, Long version, String label) {

        /** {@code :3} or {@code :label} as AWS echoes it, or null. */
        String selector() {
            return version != null ? ":" + version : label != null ? ":" + label : null;
        }
    }

    private Parameters() {
    }

    static String versionId(String name, long version) {
        return versionsPrefix(name) + String.format("%019d", version);
    }

    static String versionsPrefix(String name) {
        return name + "#";
    }

    /** The parameter's ARN: its name with one leading slash after {@code parameter}. */
    static String arn(Scope scope, String name) {
        return "arn:" + scope.partition() + ":ssm:" + scope.region() + ":" + scope.account() + ":parameter"
                + (name.startsWith("/") ? name : "/" + name);
    }

    /** Every stored version of the parameter, oldest first. */
    static List<ParameterVersion> versions(Region region, String name) {
        return new ArrayList<>(region.withPrefix(VERSIONS, versionsPrefix(name)));
    }

    static Optional<ParameterVersion> version(Region region, String name, long version) {
        return region.get(VERSIONS, versionId(name, version));
    }

    /** What a SecureString value is sealed for besides its key id: the scope, the name and the version. */
    static String sealingContext(Scope scope, String name, long version) {
        return "ssm:" + scope.key() + ":" + name + ":" + version;
    }

    /** Checks a name a parameter is created with, as PutParameter does. */
    static String requireValidName(String member, String name) {
        requirePresent(member, name, 2048);
        if (name.length() > MAX_NAME_LENGTH) {
            throw SsmErrors.validation("Parameter name exceeds the maximum length of " + MAX_NAME_LENGTH
                    + " characters.");
        }
        if (!NAME_CHARACTERS.matcher(name).matches() || name.contains("//") || "/".equals(name)) {
            throw SsmErrors.validation(INVALID_NAME);
        }
        if (name.contains("/") && !name.startsWith("/")) {
            throw SsmErrors.validation("Parameter name must be a fully qualified name.");
        }
        if (name.endsWith("/")) {
            throw SsmErrors.validation("Parameter name must not end with slash.");
        }
        String first = (name.startsWith("/") ? name.substring(1) : name).toLowerCase(Locale.ROOT);
        if (first.startsWith("aws")) {
            throw EcsException.accessDenied("No access to reserved parameter name: " + name + ".");
        }
        if (first.startsWith("ssm")) {
            throw SsmErrors.validation(INVALID_NAME);
        }
        if (levels(name) > MAX_LEVELS) {
            throw SsmErrors.hierarchyTooDeep();
        }
        return name;
    }

    /** Checks a hierarchy path ({@code /} or {@code /a/b}, a trailing slash allowed); answers it without the trailing slash. */
    static String requireValidPath(String member, String path) {
        requirePresent(member, path, 2048);
        if (!path.startsWith("/") || !NAME_CHARACTERS.matcher(path).matches() || path.contains("//")) {
            throw SsmErrors.validation("The parameter doesn't meet the parameter name requirements. The parameter "
                    + "name must begin with a forward slash \"/\". It can't be prefixed with \"aws\" or \"ssm\" "
                    + "(case-insensitive). It must use only letters, numbers, or the following symbols: . "
                    + "(period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if "
                    + "specified, must use the forward slash symbol \"/\". Valid example: /get/parameters2-/by1./path0_.");
        }
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (levels(trimmed) >= MAX_LEVELS) {
            throw SsmErrors.hierarchyTooDeep();
        }
        return trimmed;
    }

    /** The names under a path ({@code /a} or {@code /}) start with this. */
    static String childPrefix(String path) {
        return "/".equals(path) ? "/" : path + "/";
    }

    static int levels(String name) {
        int levels = 0;
        for (String segment : name.split("/")) {
            if (!segment.isEmpty()) {
                levels++;
            }
        }
        return levels;
    }

    static void requirePresent(String member, String value, int maxLength) {
        if (value == null) {
            throw SsmErrors.constraint(member, null, "Member must not be null");
        }
        if (value.isEmpty()) {
            throw SsmErrors.constraint(member, value, "Member must have length greater than or equal to 1");
        }
        if (value.length() > maxLength) {
            throw SsmErrors.constraint(member, null, "Member must have length less than or equal to " + maxLength);
        }
    }

    /**
     * The parameter a request names: a name or an ARN of this scope, with an optional {@code :version} or
     * {@code :label}. A name that cannot be a parameter's is refused as SSM refuses it; an ARN of another scope
     * names nothing here.
     */
    static Ref parseRef(Scope scope, Region region, String member, String ref) {
        requirePresent(member, ref, 2048);
        String rest = ref;
        boolean byArn = ref.startsWith("arn:");
        if (byArn) {
            String prefix = arn(scope, "");
            if (!ref.startsWith(prefix) || ref.length() == prefix.length()) {
                throw SsmErrors.notFound(ref);
            }
            rest = ref.substring(prefix.length());
        }
        String name = rest;
        Long version = null;
        String label = null;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            name = rest.substring(0, colon);
            String selector = rest.substring(colon + 1);
            if (DIGITS.matcher(selector).matches()) {
                version = Long.parseLong(selector);
            } else if (!selector.isEmpty()) {
                label = selector;
            } else {
                throw SsmErrors.validation(INVALID_NAME);
            }
        }
        if (!NAME_CHARACTERS.matcher(name).matches()) {
            throw SsmErrors.validation(INVALID_NAME);
        }
        if (byArn) {
            // The ARN drops the name's leading slash: the name is the one with the slash when that exists.
            name = region.get(KIND, "/" + name).isPresent() || name.contains("/") ? "/" + name : name;
        }
        return new Ref(name, version, label);
    }

    /** The parameter a request names by name or ARN, without a version or label, as deletions and tags take it. */
    static String parseName(Scope scope, Region region, String member, String ref) {
        Ref parsed = parseRef(scope, region, member, ref);
        if (parsed.selector() != null) {
            throw SsmErrors.validation(INVALID_NAME);
        }
        return parsed.name();
    }

    /** The version a reference selects, or ParameterNotFound / ParameterVersionNotFound. */
    static ParameterVersion resolve(Region region, Ref ref) {
        StoredParameter stored = region.get(KIND, ref.name()).orElseThrow(() -> SsmErrors.notFound(ref.name()));
        if (ref.version() != null) {
            return version(region, ref.name(), ref.version())
                    .orElseThrow(() -> SsmErrors.versionNotFound(ref.name(), ref.version()));
        }
        if (ref.label() != null) {
            return versions(region, ref.name()).stream().filter(v -> v.labels().contains(ref.label())).findFirst()
                    .orElseThrow(() -> SsmErrors.notFound(ref.name() + ref.selector()));
        }
        return version(region, ref.name(), stored.version()).orElseThrow(() -> SsmErrors.notFound(ref.name()));
    }
}
