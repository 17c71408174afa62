package io.berth.control.iam;

import java.time.Instant;

/**
 * Temporary credentials of an assumed role, as STS hands them out: a key pair that is only valid
 * together with its session token and only until it expires.
 *
 * @param roleArn the role assumed ({@code arn:aws:iam::123456789012:role/app})
 * @param assumedRoleArn the principal acting with them ({@code arn:aws:sts::123456789012:assumed-role/app/session})
 */
public record SessionCredentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration,
        String roleArn, String assumedRoleArn) {

    @Override
    public String toString() {
        return "SessionCredentials[accessKeyId=" + accessKeyId + ", roleArn=" + roleArn + ", expiration=" + expiration + "]";
    }
}
