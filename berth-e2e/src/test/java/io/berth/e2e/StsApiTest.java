package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/** STS through the real SDK {@code StsClient}: identities and temporary credentials of roles. */
class StsApiTest extends ApiTest {

    private static final AtomicInteger names = new AtomicInteger();
    static IamClient iam;
    static StsClient sts;

    @BeforeAll
    static void clients() {
        iam = berth.iam();
        sts = berth.sts();
    }

    @AfterAll
    static void closeClients() {
        iam.close();
        sts.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + names.incrementAndGet();
    }

    @Test
    void theRootKeyIsTheAccountsRoot() {
        GetCallerIdentityResponse identity = sts.getCallerIdentity();

        assertThat(identity.account()).isEqualTo(berth.accountId());
        assertThat(identity.arn()).isEqualTo("arn:aws:iam::" + berth.accountId() + ":root");
        assertThat(identity.userId()).isEqualTo(berth.accountId());
    }

    @Test
    void aUsersKeyIsThatUser() {
        String name = unique("caller");
        String userId = iam.createUser(r -> r.userName(name)).user().userId();
        AccessKey key = iam.createAccessKey(r -> r.userName(name)).accessKey();

        try (StsClient asUser = berth.sts(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))) {
            GetCallerIdentityResponse identity = asUser.getCallerIdentity();

            assertThat(identity.arn()).isEqualTo("arn:aws:iam::" + berth.accountId() + ":user/" + name);
            assertThat(identity.userId()).isEqualTo(userId);
            assertThat(identity.account()).isEqualTo(berth.accountId());
        }
    }

    private static String roleTrusting(String principalJson) {
        String name = unique("assumable");
        iam.createRole(r -> r.roleName(name).maxSessionDuration(7200).assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":" + principalJson
                        + ",\"Action\":\"sts:AssumeRole\"}]}"));
        return "arn:aws:iam::" + berth.accountId() + ":role/" + name;
    }

    @Test
    void assumeRoleHandsOutTemporaryCredentialsThatActAsTheSession() {
        String roleArn = roleTrusting("{\"AWS\":\"arn:aws:iam::" + berth.accountId() + ":root\"}");
        String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
        String roleId = iam.getRole(r -> r.roleName(roleName)).role().roleId();
        iam.putRolePolicy(r -> r.roleName(roleName).policyName("list-clusters").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecs:ListClusters\","
                        + "\"Resource\":\"*\"}]}"));

        AssumeRoleResponse assumed = sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("deploy").durationSeconds(900));

        Credentials credentials = assumed.credentials();
        assertThat(credentials.accessKeyId()).matches("ASIA[A-Z2-7]{16}");
        assertThat(credentials.sessionToken()).isNotBlank();
        assertThat(credentials.expiration()).isBetween(Instant.now().plusSeconds(800), Instant.now().plusSeconds(960));
        String sessionArn = "arn:aws:sts::" + berth.accountId() + ":assumed-role/" + roleName + "/deploy";
        assertThat(assumed.assumedRoleUser().arn()).isEqualTo(sessionArn);
        assertThat(assumed.assumedRoleUser().assumedRoleId()).isEqualTo(roleId + ":deploy");
        AwsSessionCredentials session = AwsSessionCredentials.create(credentials.accessKeyId(),
                credentials.secretAccessKey(), credentials.sessionToken());
        try (StsClient asSession = berth.sts(session); EcsClient ecsAsSession = berth.ecs(session)) {
            GetCallerIdentityResponse identity = asSession.getCallerIdentity();
            assertThat(identity.arn()).isEqualTo(sessionArn);
            assertThat(identity.userId()).isEqualTo(roleId + ":deploy");
            assertThat(ecsAsSession.listClusters().clusterArns()).isNotNull();
            assertThatThrownBy(() -> ecsAsSession.listServices(r -> r.cluster("default"))).isInstanceOfSatisfying(
                    software.amazon.awssdk.services.ecs.model.EcsException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
        }
    }

    @Test
    void aSessionKeyWithoutItsTokenOrWithAnotherTokenIsRefused() {
        String roleArn = roleTrusting("{\"AWS\":\"" + berth.accountId() + "\"}");
        Credentials credentials = sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("s1")).credentials();
        String tampered = credentials.sessionToken().substring(0, 10)
                + (credentials.sessionToken().charAt(10) == 'A' ? 'B' : 'A') + credentials.sessionToken().substring(11);

        try (EcsClient withoutToken = berth.ecs(AwsBasicCredentials.create(credentials.accessKeyId(),
                credentials.secretAccessKey()));
                EcsClient withTamperedToken = berth.ecs(AwsSessionCredentials.create(credentials.accessKeyId(),
                        credentials.secretAccessKey(), tampered));
                StsClient stsWithTamperedToken = berth.sts(AwsSessionCredentials.create(credentials.accessKeyId(),
                        credentials.secretAccessKey(), tampered))) {
            for (EcsClient refused : List.of(withoutToken, withTamperedToken)) {
                assertThatThrownBy(refused::listClusters).isInstanceOfSatisfying(
                        software.amazon.awssdk.services.ecs.model.EcsException.class, e -> {
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
                            assertThat(e.awsErrorDetails().errorMessage())
                                    .isEqualTo("The security token included in the request is invalid.");
                        });
            }
            assertThatThrownBy(stsWithTamperedToken::getCallerIdentity).isInstanceOfSatisfying(StsException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
            });
        }
    }

    @Test
    void aRoleWhoseTrustPolicyDoesNotNameTheCallerCannotBeAssumed() {
        String roleArn = roleTrusting("{\"Service\":\"ec2.amazonaws.com\"}");
        String missing = "arn:aws:iam::" + berth.accountId() + ":role/no-such-role";

        for (String arn : List.of(roleArn, missing)) {
            assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(arn).roleSessionName("s1")))
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:iam::" + berth.accountId()
                                + ":root is not authorized to perform: sts:AssumeRole on resource: " + arn);
                    });
        }
    }

    @Test
    void aUserNamedInTheTrustPolicyAssumesTheRole() {
        String name = unique("trusted");
        String userArn = iam.createUser(r -> r.userName(name)).user().arn();
        AccessKey key = iam.createAccessKey(r -> r.userName(name)).accessKey();
        String roleArn = roleTrusting("{\"AWS\":\"" + userArn + "\"}");

        try (StsClient asUser = berth.sts(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))) {
            assertThat(asUser.assumeRole(r -> r.roleArn(roleArn).roleSessionName("u1")).assumedRoleUser().arn())
                    .endsWith("/u1");
        }
    }

    @Test
    void theDurationMustLieWithinLimitsAndTheRolesMaximum() {
        String roleArn = roleTrusting("{\"AWS\":\"" + berth.accountId() + "\"}");

        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("s").durationSeconds(900)))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("ValidationError"));
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("s1").durationSeconds(600)))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("ValidationError"));
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("s1").durationSeconds(7201)))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("The requested DurationSeconds exceeds the MaxSessionDuration set for this role."));
        assertThat(sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("s1").durationSeconds(7200)).credentials()
                .expiration()).isAfter(Instant.now().plusSeconds(7000));
    }
}
