package io.berth.control.iam;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * The signing side of temporary credentials: the key pair, the account and assumed-role principal
 * they act as, and until when. The session token itself is kept only as a digest.
 */
public record SessionKey(String accessKeyId, String secretAccessKey, String accountId, String principalArn,
        String roleArn, String assumedRoleId, Instant expiration, String tokenDigest) {

    /** Whether the token presented with a request is this session's. */
    public boolean matches(String sessionToken) {
        return sessionToken != null && MessageDigest.isEqual(digest(sessionToken).getBytes(StandardCharsets.US_ASCII),
                tokenDigest.getBytes(StandardCharsets.US_ASCII));
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiration);
    }

    static String digest(String sessionToken) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(sessionToken.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "SessionKey[accessKeyId=" + accessKeyId + ", principalArn=" + principalArn + ", expiration=" + expiration + "]";
    }
}
