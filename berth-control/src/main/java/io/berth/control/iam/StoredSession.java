package io.berth.control.iam;

import io.berth.control.crypto.Sealer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Temporary credentials as stored: the secret key sealed under the master key, the session token only as a digest.
 * Sessions written before secrets were sealed keep their secret key in {@code secretAccessKey} until they are sealed
 * at start.
 *
 * @param sealedSecretAccessKey the secret key sealed for {@link StoredAccessKey#SEALING_KEY_ID} and the session
 * @param secretAccessKey the secret key in plain text of a session written before secrets were sealed, else null
 */
record StoredSession(String accessKeyId, String sealedSecretAccessKey, String secretAccessKey, String accountId,
        String principalArn, String roleArn, String assumedRoleId, Instant expiration, String tokenDigest) {

    static StoredSession sealed(SessionKey session, Sealer sealer) {
        return new StoredSession(session.accessKeyId(), sealer.seal(
                session.secretAccessKey().getBytes(StandardCharsets.UTF_8), StoredAccessKey.SEALING_KEY_ID,
                context(session.accessKeyId(), session.principalArn())), null, session.accountId(),
                session.principalArn(), session.roleArn(), session.assumedRoleId(), session.expiration(),
                session.tokenDigest());
    }

    /** The session with its secret key opened; throws {@link Sealer.BrokenSealException} when it does not open. */
    SessionKey opened(Sealer sealer) {
        String secret = sealedSecretAccessKey == null ? secretAccessKey : new String(sealer.open(sealedSecretAccessKey,
                StoredAccessKey.SEALING_KEY_ID, context(accessKeyId, principalArn)), StandardCharsets.UTF_8);
        return new SessionKey(accessKeyId, secret, accountId, principalArn, roleArn, assumedRoleId, expiration,
                tokenDigest);
    }

    /** Whether a rotation or the first start of sealing versions has to write it again. */
    boolean needsSealing(Sealer sealer) {
        return sealedSecretAccessKey == null || !sealer.sealedUnderCurrentKey(sealedSecretAccessKey);
    }

    private static String context(String accessKeyId, String principalArn) {
        return "sts:session:" + accessKeyId + ":" + principalArn;
    }

    @Override
    public String toString() {
        return "StoredSession[accessKeyId=" + accessKeyId + ", principalArn=" + principalArn + ", expiration="
                + expiration + "]";
    }
}
