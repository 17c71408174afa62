package io.berth.control.secrets;

import io.berth.control.crypto.Sealer;
import io.berth.control.state.Region;
import io.berth.control.state.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;

/** Seals the values of a request into stored {@link SecretValue}s and opens them again. */
final class SecretVault {

    /** A value as a request gives it: a string or bytes, exactly one of them. */
    record Plain(String string, SdkBytes binary) {

        byte[] bytes() {
            return binary != null ? binary.asByteArray() : string.getBytes(StandardCharsets.UTF_8);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(SecretVault.class);

    private final Sealer sealer;

    SecretVault(Sealer sealer) {
        this.sealer = sealer;
    }

    /**
     * The value a request gives, checked: null when it gives none, refused when it gives both or one larger than
     * Secrets Manager takes.
     */
    static Plain plainOf(String string, SdkBytes binary) {
        if (string != null && binary != null) {
            throw SecretsErrors.invalidParameter(
                    "You can't specify both a binary secret value and a string secret value in the same secret.");
        }
        if (string != null && string.getBytes(StandardCharsets.UTF_8).length > Secrets.MAX_VALUE_BYTES) {
            throw SecretsErrors.constraint("secretString", null, "Member must have length less than or equal to "
                    + Secrets.MAX_VALUE_BYTES);
        }
        if (binary != null && binary.asByteArrayUnsafe().length > Secrets.MAX_VALUE_BYTES) {
            throw SecretsErrors.constraint("secretBinary", null, "Member must have length less than or equal to "
                    + Secrets.MAX_VALUE_BYTES);
        }
        return string == null && binary == null ? null : new Plain(string, binary);
    }

    SecretValue seal(StoredSecret secret, String versionId, String keyId, Plain plain) {
        return new SecretValue(versionId, keyId, sealer.seal(plain.bytes(), keyId,
                Secrets.sealingContext(secret.arn(), versionId)), plain.binary() != null);
    }

    Plain open(StoredSecret secret, SecretValue value) {
        byte[] bytes;
        try {
            bytes = sealer.open(value.sealed(), value.keyId(), Secrets.sealingContext(secret.arn(), value.versionId()));
        } catch (Sealer.BrokenSealException e) {
            log.error("Secret {} version {} does not decrypt: {}", secret.arn(), value.versionId(), e.getMessage());
            throw SecretsErrors.decryptionFailure();
        }
        return value.binary() ? new Plain(null, SdkBytes.fromByteArrayUnsafe(bytes))
                : new Plain(new String(bytes, StandardCharsets.UTF_8), null);
    }

    /** Whether the stored version holds exactly this value, as a repeated request with its token must. */
    boolean holds(StoredSecret secret, SecretValue value, Plain plain) {
        Plain stored = open(secret, value);
        return value.binary() == (plain.binary() != null) && Arrays.equals(stored.bytes(), plain.bytes());
    }

    static SecretValue valueOf(Region region, StoredSecret secret, String versionId) {
        return region.get(Secrets.VALUES, Secrets.valueId(secret.name(), versionId))
                .orElseThrow(() -> SecretsErrors.valueNotFound("VersionId: " + versionId));
    }

    static SecretValue valueOf(Transaction tx, StoredSecret secret, String versionId) {
        return tx.get(Secrets.VALUES, Secrets.valueId(secret.name(), versionId))
                .orElseThrow(() -> SecretsErrors.valueNotFound("VersionId: " + versionId));
    }
}
