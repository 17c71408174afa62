package io.berth.control.iam;

import io.berth.control.crypto.Sealer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * An access key as stored: its secret key sealed under the master key. Keys written before secrets were sealed keep
 * theirs in {@code secretAccessKey} until they are sealed at start.
 *
 * @param sealedSecretAccessKey the secret key sealed for {@link #SEALING_KEY_ID} and the key and its principal
 * @param secretAccessKey the secret key in plain text of a key written before secrets were sealed, else null
 */
record StoredAccessKey(String accessKeyId, String sealedSecretAccessKey, String secretAccessKey, String accountId,
        String principalArn, String status, Instant created) {

    /** The key id secret keys of IAM are sealed for, as KMS would name the key of a service. */
    static final String SEALING_KEY_ID = "alias/berth/iam";

    static StoredAccessKey sealed(AccessKey key, Sealer sealer) {
        return new StoredAccessKey(key.accessKeyId(), sealer.seal(key.secretAccessKey().getBytes(StandardCharsets.UTF_8),
                SEALING_KEY_ID, context(key.accessKeyId(), key.principalArn())), null, key.accountId(),
                key.principalArn(), key.status(), key.created());
    }

    /** The key with its secret opened; throws {@link Sealer.BrokenSealException} when it does not open. */
    AccessKey opened(Sealer sealer) {
        return new AccessKey(accessKeyId, secret(sealer), accountId, principalArn, status, created);
    }

    /** The same key in another status, its secret sealed under the current master key. */
    StoredAccessKey withStatus(String changed, Sealer sealer) {
        AccessKey key = opened(sealer);
        return sealed(new AccessKey(accessKeyId, key.secretAccessKey(), accountId, principalArn, changed, created), sealer);
    }

    /** Whether a rotation or the first start of sealing versions has to write it again. */
    boolean needsSealing(Sealer sealer) {
        return sealedSecretAccessKey == null || !sealer.sealedUnderCurrentKey(sealedSecretAccessKey);
    }

    private String secret(Sealer sealer) {
        if (sealedSecretAccessKey == null) {
            return secretAccessKey;
        }
        return new String(sealer.open(sealedSecretAccessKey, SEALING_KEY_ID, context(accessKeyId, principalArn)),
                StandardCharsets.UTF_8);
    }

    private static String context(String accessKeyId, String principalArn) {
        return "iam:access-key:" + accessKeyId + ":" + principalArn;
    }

    @Override
    public String toString() {
        return "StoredAccessKey[accessKeyId=" + accessKeyId + ", principalArn=" + principalArn + ", status=" + status + "]";
    }
}
