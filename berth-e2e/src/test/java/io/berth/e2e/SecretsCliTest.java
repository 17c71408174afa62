package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SecureStrings and secrets with the real {@code aws} CLI; skipped, saying so, where the CLI is not installed. */
class SecretsCliTest {

    @TempDir
    static Path dataDir;
    static RunningBerth berth;

    @BeforeAll
    static void start() throws Exception {
        Commands.assumeAwsCli("the secrets CLI check");
        berth = RunningBerth.start(dataDir);
    }

    @AfterAll
    static void stop() {
        if (berth != null) {
            berth.close();
        }
    }

    /** Runs the CLI against the server with the server's first key and no configuration of the machine's. */
    private static Result aws(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", berth.endpoint(), "--output", "text"));
        command.addAll(List.of(arguments));
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", berth.key().accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", berth.key().secretAccessKey());
        env.put("AWS_DEFAULT_REGION", RunningBerth.REGION);
        env.put("AWS_CA_BUNDLE", berth.caBundle().toString());
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_PROFILE", null);
        env.put("AWS_SESSION_TOKEN", null);
        Commands.Result result = Commands.run(env, Duration.ofMinutes(2), command.toArray(String[]::new));
        return new Result(result.exitCode(), result.output().strip());
    }

    /** What the CLI printed, without the surrounding blank space, and how it exited. */
    record Result(int exitCode, String output) {
    }

    @Test
    void aSecureStringIsPutAndReadBackDecrypted() throws Exception {
        Result put = aws("ssm", "put-parameter", "--name", "/cli/db-password", "--type", "SecureString",
                "--value", "cli-pw-42");
        Result decrypted = aws("ssm", "get-parameter", "--name", "/cli/db-password", "--with-decryption",
                "--query", "Parameter.Value");
        Result encrypted = aws("ssm", "get-parameter", "--name", "/cli/db-password", "--query", "Parameter.Value");
        Result missing = aws("ssm", "get-parameter", "--name", "/cli/missing");

        assertThat(put.exitCode()).as(put.output()).isZero();
        assertThat(decrypted.output()).isEqualTo("cli-pw-42");
        assertThat(encrypted.output()).isNotEqualTo("cli-pw-42");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.output()).contains("ParameterNotFound");
    }

    @Test
    void aSecretIsCreatedAndItsValueRead() throws Exception {
        Result created = aws("secretsmanager", "create-secret", "--name", "cli/db",
                "--secret-string", "{\"username\":\"app\",\"password\":\"cli-secret\"}", "--query", "ARN");
        Result value = aws("secretsmanager", "get-secret-value", "--secret-id", "cli/db", "--query", "SecretString");
        Result again = aws("secretsmanager", "create-secret", "--name", "cli/db", "--secret-string", "x");

        assertThat(created.output()).matches("arn:aws:secretsmanager:us-east-1:\\d{12}:secret:cli/db-[A-Za-z0-9]{6}");
        assertThat(value.output()).isEqualTo("{\"username\":\"app\",\"password\":\"cli-secret\"}");
        assertThat(again.output()).contains("ResourceExistsException");
    }
}
