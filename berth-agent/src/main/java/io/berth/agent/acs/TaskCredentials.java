package io.berth.agent.acs;

import io.berth.model.acs.IamRoleCredentials;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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
}
