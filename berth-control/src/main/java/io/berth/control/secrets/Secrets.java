package io.berth.control.secrets;

import io.berth.control.Scope;
import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import io.berth.control.state.Region;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The secret kinds, secret names and ARNs, and how a request's {@code SecretId} (a name, a full ARN
 * or an ARN without its six-character suffix) finds a secret.
 */
final class Secrets {

    /** Stored secrets by name. */
    static final Kind<StoredSecret> KIND = Kinds.json("secret", StoredSecret.class);
    /** Stored values by secret name, {@code #} and version id. */
    static final Kind<SecretValue> VALUES = Kinds.json("secret-value", SecretValue.class);

    static final String DEFAULT_KEY_ID = "alias/aws/secretsmanager";
    static final String CURRENT = "AWSCURRENT";
    static final String PREVIOUS = "AWSPREVIOUS";
    static final int MAX_VALUE_BYTES = 65_536;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9/_+=.@-]+");
    private static final String SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private Secrets() {
    }

    static String valueId(String name, String versionId) {
        return name + "#" + versionId;
    }

    static String arnPrefix(Scope scope) {
        return "arn:" + scope.partition() + ":secretsmanager:" + scope.region() + ":" + scope.account() + ":secret:";
    }

    /** A new secret's ARN: its name, a hyphen and six random characters. */
    static String newArn(Scope scope, String name, SecureRandom random) {
        StringBuilder arn = new StringBuilder(arnPrefix(scope)).append(name).append('-');
        for (int i = 0; i < 6; i++) {
            arn.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
        }
        return arn.toString();
    }

    /** What a value is sealed for besides its key id: the secret's ARN and the version. */
    static String sealingContext(String arn, String versionId) {
        return "secretsmanager:" + arn + ":" + versionId;
    }

    static String requireValidName(String name) {
        requireLength("name", name, 1, 512);
        if (!NAME.matcher(name).matches()) {
            throw SecretsErrors.invalidParameter("Invalid name. Must be a valid name containing alphanumeric "
                    + "characters, or any of the following: -/_+=.@!");
        }
        return name;
    }

    static void requireLength(String member, String value, int min, int max) {
        if (value == null) {
            throw SecretsErrors.constraint(member, null, "Member must not be null");
        }
        if (value.length() < min) {
            throw SecretsErrors.constraint(member, value, "Member must have length greater than or equal to " + min);
        }
        if (value.length() > max) {
            throw SecretsErrors.constraint(member, null, "Member must have length less than or equal to " + max);
        }
    }

    /**
     * The secret a SecretId names, if any: by name, by its full ARN, or by an ARN without the suffix. A secret whose
     * recovery window has passed is gone, even before the purge removes it.
     */
    static Optional<StoredSecret> find(Region region, String secretId, Instant now) {
        requireLength("secretId", secretId, 1, 2048);
        Optional<StoredSecret> found;
        String prefix = arnPrefix(region.scope());
        if (secretId.startsWith("arn:")) {
            if (!secretId.startsWith(prefix)) {
                return Optional.empty();
            }
            String rest = secretId.substring(prefix.length());
            found = region.get(KIND, rest);
            if (found.isEmpty() && rest.length() > 7 && rest.charAt(rest.length() - 7) == '-') {
                found = region.get(KIND, rest.substring(0, rest.length() - 7)).filter(s -> s.arn().equals(secretId));
            }
        } else {
            found = region.get(KIND, secretId);
        }
        return found.filter(s -> !purgeDue(s, now));
    }

    static boolean purgeDue(StoredSecret secret, Instant now) {
        return secret.deletionDate() != null && !now.isBefore(secret.deletionDate());
    }

    /** The key the secret's new versions are sealed for. */
    static String keyIdOf(StoredSecret secret) {
        return secret.kmsKeyId() == null ? DEFAULT_KEY_ID : secret.kmsKeyId();
    }
}
