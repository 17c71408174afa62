package io.berth.agent.acs;

import io.berth.model.acs.IamRoleCredentials;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The latest role credentials received for each credentials id, as the task metadata endpoint serves them. */
public final class TaskCredentials {

    private final Map<String, IamRoleCredentials> byId = new ConcurrentHashMap<>();

    public void put(IamRoleCredentials credentials) {
        if (credentials != null && credentials.credentialsId() != null) {
            byId.put(credentials.credentialsId(), credentials);
        }
    }

    public Optional<IamRoleCredentials> get(String credentialsId) {
        return Optional.ofNullable(credentialsId == null ? null : byId.get(credentialsId));
    }

    /**
     * Signs as the role behind {@code credentialsId} (a task's {@code executionRoleCredentials.credentialsId}), with
     * the latest credentials the control plane sent for it, so that a refresh reaches calls made long after the task
     * started. Until any have come (right after an agent restart) it fails like an unreachable identity, which callers
     * that retry simply wait out.
     */
    public AwsCredentialsProvider provider(String credentialsId) {
        return () -> {
            IamRoleCredentials role = get(credentialsId).orElseThrow(() -> SdkClientException.create(
                    "No role credentials " + credentialsId + " have been received from the control plane"));
            AwsCredentials credentials = role.sessionToken() == null || role.sessionToken().isEmpty()
                    ? AwsBasicCredentials.create(role.accessKeyId(), role.secretAccessKey())
                    : AwsSessionCredentials.create(role.accessKeyId(), role.secretAccessKey(), role.sessionToken());
            return credentials;
        };
    }
}
