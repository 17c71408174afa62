package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
import software.amazon.awssdk.services.iam.model.AttachedPolicy;

/** {@code berth iam bootstrap-admin} makes an account's first administrator on the data directory. */
class IamBootstrapCommandTest {

    private static final Pattern KEY_ID = Pattern.compile("aws configure set aws_access_key_id (\\S+)");
    private static final Pattern SECRET = Pattern.compile("aws configure set aws_secret_access_key (\\S+)");

    @TempDir
    static Path dataDir;
    static RunningBerth berth;

    record Run(int exitCode, String out) {
    }

    @BeforeAll
    static void start() {
        berth = RunningBerth.start(dataDir);
    }

    @AfterAll
    static void stop() {
        berth.close();
    }

    @Test
    void theBootstrappedAdminsKeyActsAsThatUserWithAdministratorAccess() {
        Run run = berth("iam", "bootstrap-admin", "--user", "admin", "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("arn:aws:iam::" + berth.accountId() + ":user/admin", "aws configure set region us-east-1");
        try (IamClient admin = berth.iam(AwsBasicCredentials.create(group(KEY_ID, run.out()), group(SECRET, run.out())))) {
            assertThat(admin.getUser().user().userName()).isEqualTo("admin");
            assertThat(admin.listAttachedUserPolicies(r -> r.userName("admin")).attachedPolicies())
                    .extracting(AttachedPolicy::policyArn).containsExactly("arn:aws:iam::aws:policy/AdministratorAccess");
        }
        try (IamClient root = berth.iam()) {
            assertThat(root.listUsers().users()).anySatisfy(u -> assertThat(u.userName()).isEqualTo("admin"));
        }
    }

    @Test
    void bootstrappingAnExistingUserAddsAKeyUntilItHasTwo() {
        assertThat(berth("iam", "bootstrap-admin", "--user", "ops", "--data-dir", dataDir.toString()).exitCode()).isZero();
        assertThat(berth("iam", "bootstrap-admin", "--user", "ops", "--data-dir", dataDir.toString()).exitCode()).isZero();

        assertThat(berth("iam", "bootstrap-admin", "--user", "ops", "--data-dir", dataDir.toString()).exitCode()).isEqualTo(1);
        try (IamClient root = berth.iam()) {
            assertThat(root.listAccessKeys(r -> r.userName("ops")).accessKeyMetadata()).hasSize(2);
        }
    }

    @Test
    void anInvalidNameIsRefused() {
        assertThat(berth("iam", "bootstrap-admin", "--user", "no spaces", "--data-dir", dataDir.toString()).exitCode())
                .isEqualTo(1);
    }

    /** Runs the command line as {@code berth} would, capturing what it prints. */
    private static synchronized Run berth(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int exitCode = new CommandLine(new Berth()).execute(args);
            return new Run(exitCode, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    private static String group(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(text).isTrue();
        return matcher.group(1);
    }
}
