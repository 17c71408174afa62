package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SecureStrings and secrets with the real {@code aws} CLI; skipped, saying so, where the CLI is not installed. */
class SecretsCliTest {

    @TempDir
    static Path dataDir;
    static RunningBerth berth;

    record Result(int exitCode, String output) {
    }

    @BeforeAll
    static void start() throws Exception {
        boolean installed = run("bash", "-c", "command -v aws >/dev/null && aws --version 2>&1").output()
                .contains("aws-cli/");
        if (!installed) {
            System.out.println("Skipping the secrets CLI check: the aws CLI is not installed.");
        }
        Assumptions.assumeTrue(installed, "the aws CLI is not installed");
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
        return run(command.toArray(String[]::new));
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("secrets-cli", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            if (berth != null) {
                Map<String, String> env = builder.environment();
                env.put("AWS_ACCESS_KEY_ID", berth.key().accessKeyId());
                env.put("AWS_SECRET_ACCESS_KEY", berth.key().secretAccessKey());
                env.put("AWS_DEFAULT_REGION", RunningBerth.REGION);
                env.put("AWS_CONFIG_FILE", "/dev/null");
                env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
                env.remove("AWS_PROFILE");
                env.remove("AWS_SESSION_TOKEN");
            }
            Process process = builder.start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return new Result(-1, "(timed out)");
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8).strip());
        } finally {
            Files.deleteIfExists(log);
        }
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
