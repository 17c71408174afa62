package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.iam.AccessKeys;
import io.berth.server.Berth;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.EcsException;

/** {@code berth keys} changes the keys of a data directory, also while a server runs on it. */
class KeysCommandTest {

    private static final Pattern KEY_ID = Pattern.compile("aws_access_key_id = (\\S+)");
    private static final Pattern SECRET = Pattern.compile("aws_secret_access_key = (\\S+)");

    @TempDir
    static Path dataDir;
    static RunningBerth berth;

    /** What one command printed and how it exited. */
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
    void aCreatedKeyWorksIsListedAndStopsWorkingWhenDeleted() {
        Run created = berth("keys", "create", "--data-dir", dataDir.toString());
        assertThat(created.exitCode()).isZero();
        String keyId = group(KEY_ID, created.out());
        String secret = group(SECRET, created.out());

        try (EcsClient holder = berth.ecs(RunningBerth.REGION, keyId, secret)) {
            assertThat(holder.listClusters().clusterArns()).isNotNull();

            Run listed = berth("keys", "list", "--data-dir", dataDir.toString());
            assertThat(listed.out()).contains(keyId, berth.key().accessKeyId(), berth.accountId())
                    .doesNotContain(secret);

            Run deleted = berth("keys", "delete", keyId, "--data-dir", dataDir.toString());
            assertThat(deleted.exitCode()).isZero();

            Awaitility.await().atMost(AccessKeys.CACHE_TTL.plusSeconds(5)).untilAsserted(() ->
                    assertThatThrownBy(holder::listClusters).isInstanceOfSatisfying(EcsException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException")));
            assertThat(berth("keys", "list", "--data-dir", dataDir.toString()).out()).doesNotContain(keyId);
        }
        try (EcsClient first = berth.ecs()) {
            assertThat(first.listClusters().clusterArns()).isNotNull();
        }
    }

    @Test
    void deletingAnUnknownKeyFails() {
        assertThat(berth("keys", "delete", "AKIANOSUCHKEY0000000", "--data-dir", dataDir.toString()).exitCode())
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
