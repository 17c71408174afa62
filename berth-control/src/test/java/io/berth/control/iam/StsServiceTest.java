package io.berth.control.iam;

import static io.berth.control.iam.IamServiceTest.ACCOUNT;
import static io.berth.control.iam.IamServiceTest.ROOT;
import static io.berth.control.iam.IamServiceTest.assertIamError;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.Caller;
import io.berth.control.Scope;
import io.berth.control.TestClock;
import io.berth.control.crypto.Sealer;
import io.berth.control.store.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.CreateRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;

/** AssumeRole, GetCallerIdentity and task role sessions called directly. */
class StsServiceTest {

    static final String TASK_ARN = "arn:aws:ecs:us-east-1:" + ACCOUNT + ":task/prod/0123456789abcdef0123456789abcdef";

    final MemoryStore store = new MemoryStore();
    final TestClock clock = new TestClock(Instant.parse("2026-11-25T12:00:00Z"));
    final AccessKeys keys = new AccessKeys(store, Sealer.withKey(new byte[32]), clock);
    final Directories directories = new Directories(store, clock);
    final Sessions sessions = new Sessions(store, keys.sealer(), clock);
    final IamService iam = new IamService(directories, keys, Authorizer.allowAll(), clock);
    final StsService sts = new StsService(directories, sessions, (caller, request) -> Decision.IMPLICIT_DENY);

    String role(String name, String principal) {
        return iam.createRole(ROOT, CreateRoleRequest.builder().roleName(name).assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":" + principal
                        + ",\"Action\":\"sts:AssumeRole\"}]}").build()).role().arn();
    }

    AssumeRoleResponse assume(Caller caller, String roleArn, String sessionName) {
        return sts.assumeRole(caller, AssumeRoleRequest.builder().roleArn(roleArn).roleSessionName(sessionName).build());
    }

    @Test
    void assumedCredentialsAreStoredAndFoundByTheirKeyUntilTheyExpire() {
        String roleArn = role("app", "{\"AWS\":\"" + ACCOUNT + "\"}");

        AssumeRoleResponse assumed = assume(ROOT, roleArn, "s1");

        SessionKey session = new Sessions(store, keys.sealer(), clock).find(assumed.credentials().accessKeyId()).orElseThrow();
        assertThat(session.principalArn()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/app/s1");
        assertThat(session.matches(assumed.credentials().sessionToken())).isTrue();
        assertThat(session.matches(assumed.credentials().sessionToken() + "x")).isFalse();
        assertThat(session.matches(null)).isFalse();
        assertThat(session.expiration()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThat(session.expiredAt(clock.instant().plus(Duration.ofMinutes(59)))).isFalse();
        assertThat(session.expiredAt(clock.instant().plus(Duration.ofHours(1)))).isTrue();
    }

    @Test
    void sessionsExpiredLongAgoAreRemovedWhenNewOnesStart() {
        String roleArn = role("app", "{\"AWS\":\"" + ACCOUNT + "\"}");
        String old = assume(ROOT, roleArn, "old").credentials().accessKeyId();

        clock.advance(Duration.ofHours(3));
        assume(ROOT, roleArn, "new");

        assertThat(new Sessions(store, keys.sealer(), clock).find(old)).isEmpty();
    }

    @Test
    void theCallerOfASessionIsTheAssumedRoleWithTheRoleIdAndSessionName() {
        String roleArn = role("app", "{\"AWS\":\"" + ACCOUNT + "\"}");
        String sessionArn = assume(ROOT, roleArn, "s1").assumedRoleUser().arn();
        Caller session = new Caller(ROOT.scope(), sessionArn);

        var identity = sts.getCallerIdentity(session, GetCallerIdentityRequest.builder().build());

        assertThat(identity.arn()).isEqualTo(sessionArn);
        assertThat(identity.userId()).matches("AROA[A-Z2-7]{17}:s1");
        assertThat(identity.account()).isEqualTo(ACCOUNT);
    }

    @Test
    void aUserTrustedOnlyThroughTheAccountAlsoNeedsItsOwnPermission() {
        String roleArn = role("app", "{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"}");
        Caller alice = new Caller(ROOT.scope(), "arn:aws:iam::" + ACCOUNT + ":user/alice");

        assertIamError(() -> assume(alice, roleArn, "s1"), "AccessDenied", 403, "User: arn:aws:iam::" + ACCOUNT
                + ":user/alice is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
        StsService permissive = new StsService(directories, sessions, Authorizer.allowAll());
        assertThat(permissive.assumeRole(alice, AssumeRoleRequest.builder().roleArn(roleArn).roleSessionName("s1")
                .build()).assumedRoleUser().arn()).endsWith(":assumed-role/app/s1");
    }

    @Test
    void aUserNamedInTheTrustPolicyNeedsNoPermissionOfItsOwnButItsOwnDenyStillRefuses() {
        String alice = "arn:aws:iam::" + ACCOUNT + ":user/alice";
        String roleArn = role("named", "{\"AWS\":\"" + alice + "\"}");
        Caller caller = new Caller(ROOT.scope(), alice);
        StsService denying = new StsService(directories, sessions, (c, request) -> Decision.EXPLICIT_DENY);

        assertThat(assume(caller, roleArn, "s1").assumedRoleUser().arn()).endsWith(":assumed-role/named/s1");
        assertIamError(() -> denying.assumeRole(caller, AssumeRoleRequest.builder().roleArn(roleArn)
                .roleSessionName("s2").build()), "AccessDenied", 403, null);
    }

    @Test
    void aCallerMentionedOnlyInATrustConditionIsNotNamedAndNeedsItsOwnPermission() {
        String alice = "arn:aws:iam::" + ACCOUNT + ":user/alice";
        String roleArn = iam.createRole(ROOT, CreateRoleRequest.builder().roleName("conditional")
                .assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"},\"Action\":\"sts:AssumeRole\","
                        + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalArn\":\"" + alice + "\"}}}]}")
                .build()).role().arn();

        assertIamError(() -> assume(new Caller(ROOT.scope(), alice), roleArn, "s1"), "AccessDenied", 403, null);
        StsService permissive = new StsService(directories, sessions, Authorizer.allowAll());
        assertThat(permissive.assumeRole(new Caller(ROOT.scope(), alice), AssumeRoleRequest.builder().roleArn(roleArn)
                .roleSessionName("s1").build()).assumedRoleUser().arn()).endsWith(":assumed-role/conditional/s1");
    }

    @Test
    void anExplicitDenyInTheTrustPolicyWins() {
        String roleArn = iam.createRole(ROOT, CreateRoleRequest.builder().roleName("guarded").assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ACCOUNT
                        + "\"},\"Action\":\"sts:AssumeRole\"},{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
                        + ACCOUNT + ":root\"},\"Action\":\"sts:*\"}]}").build()).role().arn();

        assertIamError(() -> assume(ROOT, roleArn, "s1"), "AccessDenied", 403, null);
    }

    @Test
    void assumeRoleValidatesItsParameters() {
        String roleArn = role("app", "{\"AWS\":\"" + ACCOUNT + "\"}");

        assertIamError(() -> assume(ROOT, null, "s1"), "ValidationError", 400, null);
        assertIamError(() -> assume(ROOT, roleArn, null), "ValidationError", 400, null);
        assertIamError(() -> assume(ROOT, roleArn, "x"), "ValidationError", 400, null);
        assertIamError(() -> assume(ROOT, roleArn, "has space"), "ValidationError", 400, null);
        assertIamError(() -> assume(ROOT, "arn:aws:iam::x", "s1"), "ValidationError", 400, null);
        assertIamError(() -> sts.assumeRole(ROOT, AssumeRoleRequest.builder().roleArn(roleArn).roleSessionName("s1")
                .durationSeconds(43201).build()), "ValidationError", 400, null);
        assertIamError(() -> sts.assumeRole(ROOT, AssumeRoleRequest.builder().roleArn(roleArn).roleSessionName("s1")
                .policy("{}").build()), "ValidationError", 400, null);
    }

    @Test
    void aSessionChainingIntoAnotherRoleGetsAnHourAtMost() {
        String first = role("first", "{\"AWS\":\"" + ACCOUNT + "\"}");
        String second = role("second", "{\"AWS\":\"" + ACCOUNT + "\"}");
        Caller session = new Caller(ROOT.scope(), assume(ROOT, first, "s1").assumedRoleUser().arn());
        StsService permissive = new StsService(directories, sessions, Authorizer.allowAll());

        assertIamError(() -> permissive.assumeRole(session, AssumeRoleRequest.builder().roleArn(second)
                .roleSessionName("s2").durationSeconds(3601).build()), "ValidationError", 400,
                "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
    }

    @Test
    void tasksAssumeRolesThatTrustEcsTasks() {
        String roleArn = role("task-role", "{\"Service\":\"ecs-tasks.amazonaws.com\"}");

        SessionCredentials credentials = sts.assumeForTask(ROOT.scope(), roleArn, TASK_ARN);

        assertThat(credentials.roleArn()).isEqualTo(roleArn);
        assertThat(credentials.assumedRoleArn())
                .isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/task-role/0123456789abcdef0123456789abcdef");
        assertThat(credentials.accessKeyId()).startsWith("ASIA");
        assertThat(credentials.expiration()).isEqualTo(clock.instant().plus(StsService.TASK_SESSION));
        assertThat(sessions.find(credentials.accessKeyId()))
                .hasValueSatisfying(s -> assertThat(s.matches(credentials.sessionToken())).isTrue());
    }

    @Test
    void tasksCannotAssumeRolesThatDoNotTrustEcsTasksOrDoNotExistInTheirAccount() {
        String ec2Role = role("host-role", "{\"Service\":\"ec2.amazonaws.com\"}");
        String taskRole = role("task-role", "{\"Service\":\"ecs-tasks.amazonaws.com\"}");
        Scope otherAccount = new Scope("aws", "210987654321", "us-east-1");

        assertIamError(() -> sts.assumeForTask(ROOT.scope(), ec2Role, TASK_ARN), "ClientException", 400, null);
        assertIamError(() -> sts.assumeForTask(ROOT.scope(), taskRole.replace("task-role", "ghost"), TASK_ARN),
                "ClientException", 400, null);
        assertIamError(() -> sts.assumeForTask(otherAccount, taskRole, TASK_ARN), "ClientException", 400, null);
    }
}
