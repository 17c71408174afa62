package io.berth.control.task;

import static io.berth.control.task.TaskWorld.CALLER;
import static io.berth.control.task.TaskWorld.SCOPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.Scope;
import io.berth.control.agent.AgentDispatch;
import io.berth.control.agent.AgentLink;
import io.berth.control.iam.RoleSessions;
import io.berth.control.iam.SessionCredentials;
import io.berth.model.EcsException;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.IAMRoleCredentialsMessage;
import io.berth.model.acs.IamRoleCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

class TaskRolesTest {

    private static final String APP_ROLE = "arn:aws:iam::123456789012:role/app";
    private static final String EXEC_ROLE = "arn:aws:iam::123456789012:role/exec";
    private static final String OTHER_ROLE = "arn:aws:iam::123456789012:role/other";
    private static final Duration LIFETIME = Duration.ofHours(1);

    private final FakeRoleSessions sessions = new FakeRoleSessions();
    private TaskWorld world;
    private RecordingLink link;
    private AgentDispatch dispatch;
    private ContainerInstance host;

    @BeforeEach
    void setUp() {
        start(new TaskWorld(sessions));
        world.cluster("prod");
        host = world.instance("prod", "i1", 1024, 1024);
    }

    private void start(TaskWorld next) {
        world = next;
        link = new RecordingLink();
        dispatch = new AgentDispatch(world.state, link, world.roles);
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    @Test
    void aTaskWithBothRolesCarriesTheCredentialsOfEachInItsPayload() {
        definitionWithRoles(APP_ROLE, EXEC_ROLE);

        Task task = run(null);

        AcsTask sent = link.onlyTask();
        assertThat(sent.arn()).isEqualTo(task.taskArn());
        IamRoleCredentials role = sent.roleCredentials();
        IamRoleCredentials execution = sent.executionRoleCredentials();
        assertIssued(role, APP_ROLE, task.taskArn());
        assertIssued(execution, EXEC_ROLE, task.taskArn());
        assertThat(role.credentialsId()).isNotEqualTo(execution.credentialsId());
        assertThat(role.expiration()).isEqualTo("2026-11-25T13:00:00Z");
    }

    @Test
    void credentialsIdsDifferFromTaskToTask() {
        definitionWithRoles(APP_ROLE, null);

        run(null);
        run(null);

        assertThat(link.tasks).hasSize(2);
        assertThat(link.tasks.get(0).roleCredentials().credentialsId())
                .isNotEqualTo(link.tasks.get(1).roleCredentials().credentialsId());
    }

    @Test
    void aTaskWithoutRolesCarriesNoCredentials() {
        definitionWithRoles(null, null);

        run(null);

        assertThat(link.onlyTask().roleCredentials()).isNull();
        assertThat(link.onlyTask().executionRoleCredentials()).isNull();
        assertThat(sessions.assumed).isEmpty();
    }

    @Test
    void theRolesOfTheOverridesReplaceTheTaskDefinitions() {
        definitionWithRoles(APP_ROLE, EXEC_ROLE);

        run(TaskOverride.builder().taskRoleArn(OTHER_ROLE).build());

        assertThat(link.onlyTask().roleCredentials().roleArn()).isEqualTo(OTHER_ROLE);
        assertThat(link.onlyTask().executionRoleCredentials().roleArn()).isEqualTo(EXEC_ROLE);
    }

    @Test
    void aRoleThatCannotBeAssumedRefusesRunTaskAsEcsDoesAndPlacesNothing() {
        definitionWithRoles(APP_ROLE, EXEC_ROLE);
        sessions.refuse(EXEC_ROLE);

        assertThatThrownBy(() -> run(null))
                .isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.code()).isEqualTo("ClientException"))
                .hasMessage("ECS was unable to assume the role '" + EXEC_ROLE + "' that was provided for this task. "
                        + "Please verify that the role being passed has the proper trust relationship and permissions "
                        + "and that your IAM user has permissions to pass this role.");
        assertThat(world.state.region(SCOPE).all(Tasks.KIND)).isEmpty();
        assertThat(world.remainingMemory(host)).isEqualTo(1024);
        assertThat(link.tasks).isEmpty();
    }

    @Test
    void withoutRoleSessionsATaskWithARoleIsRefused() {
        world.close();
        start(new TaskWorld());
        world.cluster("prod");
        world.instance("prod", "i1", 1024, 1024);
        definitionWithRoles(APP_ROLE, null);

        assertThatThrownBy(() -> run(null))
                .isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.code()).isEqualTo("ClientException"))
                .hasMessage("Berth cannot assume task roles yet.");
        assertThat(world.state.region(SCOPE).all(Tasks.KIND)).isEmpty();
    }

    @Test
    void nothingIsRefreshedBeforeHalfTheLifetime() {
        definitionWithRoles(APP_ROLE, EXEC_ROLE);
        run(null);

        world.advance(LIFETIME.dividedBy(2).minusSeconds(1));
        dispatch.refreshCredentials();

        assertThat(link.credentials).isEmpty();
    }

    @Test
    void atHalfTheLifetimeEachRoleIsAssumedAgainAndSentUnderTheSameId() {
        definitionWithRoles(APP_ROLE, EXEC_ROLE);
        Task task = run(null);
        IamRoleCredentials first = link.onlyTask().roleCredentials();
        IamRoleCredentials firstExecution = link.onlyTask().executionRoleCredentials();

        world.advance(LIFETIME.dividedBy(2));
        dispatch.refreshCredentials();

        assertThat(link.credentials).hasSize(2);
        assertThat(link.instances).containsOnly(host.containerInstanceArn());
        IAMRoleCredentialsMessage application = message("TaskApplication");
        assertThat(application.taskArn()).isEqualTo(task.taskArn());
        assertThat(application.taskClusterArn()).isEqualTo(task.clusterArn());
        assertThat(application.messageId()).isNotBlank();
        IamRoleCredentials refreshed = application.roleCredentials();
        assertThat(refreshed.credentialsId()).isEqualTo(first.credentialsId());
        assertThat(refreshed.accessKeyId()).isNotEqualTo(first.accessKeyId());
        assertThat(refreshed.expiration()).isEqualTo("2026-11-25T13:30:00Z");
        assertThat(message("TaskExecution").roleCredentials().credentialsId()).isEqualTo(firstExecution.credentialsId());
        assertThat(message("TaskExecution").roleCredentials().roleArn()).isEqualTo(EXEC_ROLE);
    }

    @Test
    void refreshedCredentialsAreRefreshedAgainAtHalfTheirOwnLifetime() {
        definitionWithRoles(APP_ROLE, null);
        run(null);
        world.advance(Duration.ofMinutes(30));
        dispatch.refreshCredentials();
        link.credentials.clear();

        world.advance(Duration.ofMinutes(29));
        dispatch.refreshCredentials();
        assertThat(link.credentials).isEmpty();

        world.advance(Duration.ofMinutes(1));
        dispatch.refreshCredentials();
        assertThat(link.credentials).hasSize(1);
    }

    @Test
    void aStoppedTaskIsNoLongerRefreshed() {
        definitionWithRoles(APP_ROLE, EXEC_ROLE);
        Task task = run(null);

        markStopped(task);
        world.advance(LIFETIME);
        dispatch.refreshCredentials();

        assertThat(link.credentials).isEmpty();
        assertThat(world.roles.held()).isZero();
    }

    @Test
    void aRefusedLaunchKeepsNoCredentialsOfTheRoleThatWasAssumed() {
        definitionWithRoles(APP_ROLE, EXEC_ROLE);
        sessions.refuse(EXEC_ROLE);

        assertThatThrownBy(() -> run(null)).isInstanceOf(EcsException.class);

        assertThat(sessions.assumed).hasSize(1);
        assertThat(world.roles.held()).isZero();
    }

    @Test
    void aFailedRefreshIsTriedAgainAMinuteLater() {
        definitionWithRoles(APP_ROLE, null);
        run(null);
        sessions.refuse(APP_ROLE);

        world.advance(Duration.ofMinutes(30));
        dispatch.refreshCredentials();
        assertThat(link.credentials).isEmpty();

        sessions.allow(APP_ROLE);
        world.advance(Duration.ofSeconds(59));
        dispatch.refreshCredentials();
        assertThat(link.credentials).isEmpty();
        world.advance(Duration.ofSeconds(1));
        dispatch.refreshCredentials();
        assertThat(link.credentials).hasSize(1);
    }

    @Test
    void aStartedAgentAskingForCredentialsGetsThoseOfEveryLiveTaskWithARole() {
        definitionWithRoles(APP_ROLE, EXEC_ROLE);
        Task withRoles = run(null);
        Task stopped = run(null);
        markStopped(stopped);

        List<IAMRoleCredentialsMessage> messages = dispatch.credentialsFor(SCOPE, host.containerInstanceArn());

        assertThat(messages).extracting(IAMRoleCredentialsMessage::taskArn).containsOnly(withRoles.taskArn());
        assertThat(messages).extracting(IAMRoleCredentialsMessage::roleType)
                .containsExactlyInAnyOrder("TaskApplication", "TaskExecution");
    }

    @Test
    void afterARestartTheTaskKeepsItsCredentialsIdsWithFreshCredentials() {
        definitionWithRoles(APP_ROLE, EXEC_ROLE);
        run(null);
        IamRoleCredentials before = link.onlyTask().roleCredentials();
        world.advance(Duration.ofMinutes(5));

        start(world.restarted());
        AcsTask resent = dispatch.tasksFor(SCOPE, host.containerInstanceArn()).get(0);

        assertThat(resent.roleCredentials().credentialsId()).isEqualTo(before.credentialsId());
        assertThat(resent.roleCredentials().accessKeyId()).isNotEqualTo(before.accessKeyId());
        assertThat(resent.roleCredentials().expiration()).isEqualTo("2026-11-25T13:05:00Z");
    }

    @Test
    void onlyIdsAndRoleArnsAreStoredNeverTheSecrets() {
        definitionWithRoles(APP_ROLE, EXEC_ROLE);
        run(null);
        IamRoleCredentials sent = link.onlyTask().roleCredentials();

        StringBuilder stored = new StringBuilder();
        world.store.loadAll(document -> stored.append(document.json()));

        assertThat(stored.toString()).contains(sent.credentialsId()).contains(APP_ROLE)
                .doesNotContain(sent.secretAccessKey()).doesNotContain(sent.sessionToken())
                .doesNotContain(sent.accessKeyId());
    }

    @Test
    void credentialsKeepTheirSecretsOutOfTheirTextForm() {
        definitionWithRoles(APP_ROLE, null);
        run(null);
        IamRoleCredentials sent = link.onlyTask().roleCredentials();

        assertThat(link.onlyTask().toString()).doesNotContain(sent.secretAccessKey()).doesNotContain(sent.sessionToken());
    }

    // ---- helpers

    private TaskDefinition definitionWithRoles(String taskRole, String executionRole) {
        TaskDefinition definition = world.definition("web", 100, 100).toBuilder()
                .taskRoleArn(taskRole).executionRoleArn(executionRole).build();
        return world.definition(definition);
    }

    private Task run(TaskOverride overrides) {
        return world.tasks.runTask(CALLER, RunTaskRequest.builder().cluster("prod").taskDefinition("web:1")
                .overrides(overrides).build()).tasks().get(0);
    }

    private void markStopped(Task task) {
        world.state.write(SCOPE, tx -> {
            tx.put(Tasks.KIND, Tasks.key("prod", Tasks.idOf(task.taskArn())),
                    task.toBuilder().lastStatus("STOPPED").desiredStatus("STOPPED").build());
            return null;
        });
    }

    private IAMRoleCredentialsMessage message(String roleType) {
        return link.credentials.stream().filter(m -> roleType.equals(m.roleType())).findFirst().orElseThrow();
    }

    private void assertIssued(IamRoleCredentials credentials, String roleArn, String taskArn) {
        assertThat(credentials.credentialsId()).isNotBlank();
        assertThat(credentials.roleArn()).isEqualTo(roleArn);
        assertThat(credentials.accessKeyId()).startsWith("ASIA");
        assertThat(credentials.secretAccessKey()).isNotBlank();
        assertThat(credentials.sessionToken()).isNotBlank();
        assertThat(sessions.assumed).contains(roleArn + " for " + taskArn);
    }

    /** Hands out numbered credentials valid for an hour from the world's clock, except for refused roles. */
    private final class FakeRoleSessions implements RoleSessions {

        final List<String> assumed = new ArrayList<>();
        private final Set<String> refused = new HashSet<>();
        private final AtomicInteger issued = new AtomicInteger();

        void refuse(String roleArn) {
            refused.add(roleArn);
        }

        void allow(String roleArn) {
            refused.remove(roleArn);
        }

        @Override
        public SessionCredentials assumeForTask(Scope scope, String roleArn, String taskArn) {
            if (refused.contains(roleArn)) {
                throw EcsException.clientException("Role " + roleArn + " cannot be assumed by ecs-tasks.amazonaws.com");
            }
            assumed.add(roleArn + " for " + taskArn);
            int n = issued.incrementAndGet();
            Instant now = world.now();
            return new SessionCredentials("ASIAFAKE" + n, "secret-" + n, "token-" + n, now.plus(LIFETIME), roleArn,
                    roleArn.replace(":iam:", ":sts:").replace(":role/", ":assumed-role/") + "/" + n);
        }
    }

    private static final class RecordingLink implements AgentLink {

        final List<AcsTask> tasks = new ArrayList<>();
        final List<IAMRoleCredentialsMessage> credentials = new ArrayList<>();
        final List<String> instances = new ArrayList<>();

        @Override
        public void send(Scope scope, String containerInstanceArn, List<AcsTask> sent) {
            tasks.addAll(sent);
        }

        @Override
        public void sendCredentials(Scope scope, String containerInstanceArn, IAMRoleCredentialsMessage message) {
            instances.add(containerInstanceArn);
            credentials.add(message);
        }

        AcsTask onlyTask() {
            assertThat(tasks).hasSize(1);
            return tasks.get(0);
        }
    }
}
