package io.berth.e2e;

import io.berth.control.Scope;
import io.berth.control.iam.RoleSessions;
import io.berth.control.iam.SessionCredentials;
import io.berth.model.EcsException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Role sessions for tests: any role of the account may be assumed except those named
 * {@code untrusted*}, and every credential set handed out is remembered by task, so a test can
 * check that what a container sees is what the control plane issued.
 */
final class TestRoleSessions implements RoleSessions {

    private final Duration lifetime;
    private final Map<String, List<SessionCredentials>> byTask = new ConcurrentHashMap<>();

    TestRoleSessions(Duration lifetime) {
        this.lifetime = lifetime;
    }

    @Override
    public SessionCredentials assumeForTask(Scope scope, String roleArn, String taskArn) {
        String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
        if (!roleArn.startsWith("arn:aws:iam::" + scope.account() + ":role/") || roleName.startsWith("untrusted")) {
            throw EcsException.clientException("The role " + roleArn + " does not trust " + ECS_TASKS + ".");
        }
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        SessionCredentials credentials = new SessionCredentials("ASIA" + suffix, "secret/" + UUID.randomUUID(),
                "token-" + UUID.randomUUID(), Instant.now().plus(lifetime), roleArn,
                "arn:aws:sts::" + scope.account() + ":assumed-role/" + roleName + "/" + taskArn.substring(
                        taskArn.lastIndexOf('/') + 1));
        byTask.computeIfAbsent(taskArn, k -> new CopyOnWriteArrayList<>()).add(credentials);
        return credentials;
    }

    /** Every credential set issued for the task, oldest first. */
    List<SessionCredentials> issuedFor(String taskArn) {
        return List.copyOf(byTask.getOrDefault(taskArn, List.of()));
    }
}
