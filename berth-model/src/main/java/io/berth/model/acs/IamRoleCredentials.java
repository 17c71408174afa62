package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Role credentials for a task; {@code expiration} is an opaque (ISO-8601) string handed back verbatim. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record IamRoleCredentials(
        String credentialsId,
        String roleArn,
        String accessKeyId,
        String secretAccessKey,
        String sessionToken,
        String expiration,
        String credentialScope) {

    /** Keeps secrets out of logs. */
    @Override
    public String toString() {
        return "IamRoleCredentials[credentialsId=" + credentialsId + ", roleArn=" + roleArn + ", accessKeyId="
                + accessKeyId + ", expiration=" + expiration + "]";
    }
}
