package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.server.Berth;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.User;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

/** Each account has its own IAM: another account's keys neither see nor use this one's users and roles. */
class IamAccountIsolationTest {

    private static final String OTHER_ACCOUNT = "210987654321";
    private static final String TRUST_OWN_ACCOUNT = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"%s\"},\"Action\":\"sts:AssumeRole\"}]}";

    @TempDir
    static Path dataDir;
    static RunningBerth berth;
    static IamClient home;
    static IamClient other;
    static StsClient otherSts;

    @BeforeAll
    static void start() {
        berth = RunningBerth.start(dataDir);
        home = berth.iam();
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            new CommandLine(new Berth()).execute("keys", "create", "--account-id", OTHER_ACCOUNT, "--data-dir",
                    dataDir.toString());
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        AwsBasicCredentials credentials = AwsBasicCredentials.create(
                group(Pattern.compile("aws_access_key_id = (\\S+)"), printed),
                group(Pattern.compile("aws_secret_access_key = (\\S+)"), printed));
        other = berth.iam(credentials);
        otherSts = berth.sts(credentials);
    }

    @AfterAll
    static void stop() {
        home.close();
        other.close();
        otherSts.close();
        berth.close();
    }

    @Test
    void usersOfOneAccountAreInvisibleToAnother() {
        home.createUser(r -> r.userName("shared-name"));
        other.createUser(r -> r.userName("shared-name"));
        home.createUser(r -> r.userName("home-only"));

        assertThat(other.listUsers().users()).extracting(User::arn)
                .containsExactly("arn:aws:iam::" + OTHER_ACCOUNT + ":user/shared-name");
        assertThatThrownBy(() -> other.getUser(r -> r.userName("home-only"))).isInstanceOf(NoSuchEntityException.class);
        assertThatThrownBy(() -> other.deleteUser(r -> r.userName("home-only"))).isInstanceOf(NoSuchEntityException.class);
        assertThat(home.getUser(r -> r.userName("home-only")).user().userName()).isEqualTo("home-only");
        assertThat(otherSts.getCallerIdentity().account()).isEqualTo(OTHER_ACCOUNT);
    }

    @Test
    void aRoleTrustingOnlyItsAccountCannotBeAssumedFromAnother() {
        String roleArn = home.createRole(r -> r.roleName("home-role")
                .assumeRolePolicyDocument(TRUST_OWN_ACCOUNT.formatted(berth.accountId()))).role().arn();

        assertThatThrownBy(() -> otherSts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("intruder")))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("AccessDenied"));
    }

    @Test
    void aRoleTrustingAnotherAccountGivesThatAccountSessionsInTheRolesAccount() {
        String roleArn = home.createRole(r -> r.roleName("cross-account")
                .assumeRolePolicyDocument(TRUST_OWN_ACCOUNT.formatted(OTHER_ACCOUNT))).role().arn();

        String sessionArn = otherSts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("visitor")).assumedRoleUser().arn();

        assertThat(sessionArn).isEqualTo("arn:aws:sts::" + berth.accountId() + ":assumed-role/cross-account/visitor");
    }

    private static String group(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(text).isTrue();
        return matcher.group(1);
    }
}
