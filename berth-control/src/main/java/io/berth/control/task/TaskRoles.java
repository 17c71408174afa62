package io.berth.control.task;

import io.berth.control.Scope;
import io.berth.control.iam.RoleSessions;
import io.berth.control.iam.SessionCredentials;
import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.state.Transaction;
import io.berth.model.Arns;
import io.berth.model.EcsException;
import io.berth.model.acs.IAMRoleCredentialsMessage;
import io.berth.model.acs.IamRoleCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * The role credentials of tasks, as ECS's task credential service keeps them: assumed when a task
 * is placed (a role that cannot be assumed refuses the launch), sent in the task's payload,
 * refreshed at half their lifetime while the task lives. Only the credentials ids and role ARNs are
 * stored; the secrets stay in memory and are assumed afresh after a restart under the same ids,
 * because the ids are baked into the running containers' environment.
 */
public final class TaskRoles {

    private static final Logger log = LoggerFactory.getLogger(TaskRoles.class);

    public static final String TASK_APPLICATION = "TaskApplication";
    public static final String TASK_EXECUTION = "TaskExecution";

    /** The role ARNs and credentials ids of a task with roles, keyed like the task. */
    public static final Kind<RoleIds> IDS = Kinds.json("task-role-ids", RoleIds.class);

    /** Until role sessions are available, a task with a role is refused rather than run without it. */
    public static final RoleSessions UNAVAILABLE = (scope, roleArn, taskArn) -> {
        throw EcsException.clientException("Berth cannot assume task roles yet.");
    };

    /** How long after a failed refresh it is tried again. */
    static final Duration RETRY_AFTER = Duration.ofMinutes(1);

    /**
     * @param taskRoleArn the task role (null for none)
     * @param taskRoleCredentialsId the id its credentials are served under
     * @param executionRoleArn the execution role (null for none)
     * @param executionRoleCredentialsId the id its credentials are served under
     */
    public record RoleIds(String taskRoleArn, String taskRoleCredentialsId, String executionRoleArn,
            String executionRoleCredentialsId) {
    }

    /** Fresh credentials for a running task, to send to the agent of its instance. */
    public record Refresh(Scope scope, String containerInstanceArn, IAMRoleCredentialsMessage message) {
    }

    /** One role's current credentials for one task. */
    private record Issued(Scope scope, String taskArn, String roleType, String credentialsId,
            SessionCredentials credentials, Instant refreshAt) {

        Issued retryAt(Instant when) {
            return new Issued(scope, taskArn, roleType, credentialsId, credentials, when);
        }

        IamRoleCredentials wire() {
            return new IamRoleCredentials(credentialsId, credentials.roleArn(), credentials.accessKeyId(),
                    credentials.secretAccessKey(), credentials.sessionToken(), expiration(credentials.expiration()),
                    null);
        }

        @Override
        public String toString() {
            return "Issued[" + roleType + " " + credentialsId + " of " + taskArn + ", " + credentials + "]";
        }
    }

    private final State state;
    private final RoleSessions sessions;
    private final Clock clock;
    private final Map<String, Issued> byCredentialsId = new ConcurrentHashMap<>();

    public TaskRoles(State state, RoleSessions sessions, Clock clock) {
        this.state = state;
        this.sessions = sessions;
        this.clock = clock;
    }

    /**
     * Assumes the roles of a task being placed and records their ids in the same write. Throws the
     * ClientException RunTask answers when a role cannot be assumed, before anything is written.
     */
    void issue(Transaction tx, String taskKey, Task task, TaskDefinition definition) {
        String taskRole = roleArn(task.overrides() == null ? null : task.overrides().taskRoleArn(),
                definition.taskRoleArn());
        String executionRole = roleArn(task.overrides() == null ? null : task.overrides().executionRoleArn(),
                definition.executionRoleArn());
        if (taskRole == null && executionRole == null) {
            return;
        }
        Scope scope = tx.scope();
        List<Issued> issued = new ArrayList<>();
        if (taskRole != null) {
            issued.add(assume(scope, task.taskArn(), TASK_APPLICATION, taskRole, newCredentialsId()));
        }
        if (executionRole != null) {
            issued.add(assume(scope, task.taskArn(), TASK_EXECUTION, executionRole, newCredentialsId()));
        }
        issued.forEach(i -> byCredentialsId.put(i.credentialsId(), i));
        tx.put(IDS, taskKey, new RoleIds(taskRole, taskRole == null ? null : issued.get(0).credentialsId(),
                executionRole, executionRole == null ? null : issued.get(issued.size() - 1).credentialsId()));
    }

    /**
     * The current credentials of one of a task's roles, for its payload; empty when the task has no
     * such role, or when it cannot be assumed again after a restart (said in the log).
     */
    public Optional<IamRoleCredentials> current(Region region, Task task, String roleType) {
        Optional<RoleIds> ids = region.get(IDS, keyOf(task));
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        boolean application = TASK_APPLICATION.equals(roleType);
        String credentialsId = application ? ids.get().taskRoleCredentialsId() : ids.get().executionRoleCredentialsId();
        String roleArn = application ? ids.get().taskRoleArn() : ids.get().executionRoleArn();
        if (credentialsId == null) {
            return Optional.empty();
        }
        Issued issued = byCredentialsId.get(credentialsId);
        if (issued == null || !issued.credentials().expiration().isAfter(clock.instant())) {
            try {
                issued = assume(region.scope(), task.taskArn(), roleType, roleArn, credentialsId);
            } catch (EcsException e) {
                log.warn("No {} credentials for {}: {}", roleType, task.taskArn(), e.getMessage());
                return Optional.empty();
            }
            byCredentialsId.put(credentialsId, issued);
        }
        return Optional.of(issued.wire());
    }

    /** Every credentials message a live task on the instance should hold, as a reconnected agent asks for. */
    public List<IAMRoleCredentialsMessage> messagesFor(Region region, List<Task> liveTasks) {
        List<IAMRoleCredentialsMessage> messages = new ArrayList<>();
        for (Task task : liveTasks) {
            for (String roleType : List.of(TASK_APPLICATION, TASK_EXECUTION)) {
                current(region, task, roleType).ifPresent(c -> messages.add(message(task, roleType, c)));
            }
        }
        return messages;
    }

    /**
     * Assumes again the roles whose credentials are past half their lifetime, for tasks not yet
     * stopped; forgets the credentials of tasks that stopped.
     */
    public List<Refresh> refreshDue() {
        Instant now = clock.instant();
        List<Refresh> refreshes = new ArrayList<>();
        for (Issued issued : byCredentialsId.values()) {
            if (now.isBefore(issued.refreshAt())) {
                continue;
            }
            Optional<Task> task = taskOf(issued);
            if (task.isEmpty() || Tasks.STOPPED.equals(task.get().lastStatus())
                    || task.get().containerInstanceArn() == null) {
                byCredentialsId.remove(issued.credentialsId(), issued);
                continue;
            }
            Issued fresh;
            try {
                fresh = assume(issued.scope(), issued.taskArn(), issued.roleType(), issued.credentials().roleArn(),
                        issued.credentialsId());
            } catch (EcsException e) {
                log.warn("Refreshing the {} credentials of {} failed: {}", issued.roleType(), issued.taskArn(),
                        e.getMessage());
                byCredentialsId.replace(issued.credentialsId(), issued, issued.retryAt(now.plus(RETRY_AFTER)));
                continue;
            }
            if (byCredentialsId.replace(issued.credentialsId(), issued, fresh)) {
                refreshes.add(new Refresh(issued.scope(), task.get().containerInstanceArn(),
                        message(task.get(), issued.roleType(), fresh.wire())));
            }
        }
        return refreshes;
    }

    /** Drops the credentials of a task that stopped. */
    public void forget(Region region, Task task) {
        region.get(IDS, keyOf(task)).ifPresent(ids -> {
            if (ids.taskRoleCredentialsId() != null) {
                byCredentialsId.remove(ids.taskRoleCredentialsId());
            }
            if (ids.executionRoleCredentialsId() != null) {
                byCredentialsId.remove(ids.executionRoleCredentialsId());
            }
        });
    }

    /** How many credential sets are held in memory. */
    int held() {
        return byCredentialsId.size();
    }

    private Issued assume(Scope scope, String taskArn, String roleType, String roleArn, String credentialsId) {
        SessionCredentials credentials;
        try {
            credentials = sessions.assumeForTask(scope, roleArn, taskArn);
        } catch (EcsException e) {
            if (sessions == UNAVAILABLE) {
                throw e;
            }
            log.info("Assuming {} for {} failed: {}", roleArn, taskArn, e.getMessage());
            throw EcsException.clientException("ECS was unable to assume the role '" + roleArn + "' that was provided "
                    + "for this task. Please verify that the role being passed has the proper trust relationship and "
                    + "permissions and that your IAM user has permissions to pass this role.");
        }
        Instant now = clock.instant();
        Duration lifetime = Duration.between(now, credentials.expiration());
        Instant refreshAt = lifetime.isNegative() ? now : now.plus(lifetime.dividedBy(2));
        return new Issued(scope, taskArn, roleType, credentialsId, credentials, refreshAt);
    }

    private Optional<Task> taskOf(Issued issued) {
        Region region = state.region(issued.scope());
        return Tasks.clusterOf(issued.scope(), issued.taskArn())
                .flatMap(cluster -> Tasks.find(region, cluster, issued.taskArn()));
    }

    private static IAMRoleCredentialsMessage message(Task task, String roleType, IamRoleCredentials credentials) {
        return new IAMRoleCredentialsMessage(task.taskArn(), task.clusterArn(), credentials, roleType,
                UUID.randomUUID().toString());
    }

    private static String keyOf(Task task) {
        return Tasks.key(Arns.lastSegment(task.clusterArn()), Tasks.idOf(task.taskArn()));
    }

    private static String roleArn(String override, String defined) {
        String arn = override != null ? override : defined;
        return arn == null || arn.isEmpty() ? null : arn;
    }

    private static String newCredentialsId() {
        return UUID.randomUUID().toString();
    }

    /** The ISO-8601 UTC form TMDS hands back verbatim and the SDKs parse, e.g. {@code 2030-01-01T00:00:00Z}. */
    static String expiration(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
