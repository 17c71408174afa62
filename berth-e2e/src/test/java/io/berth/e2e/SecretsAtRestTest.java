package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * SecureStrings and secret values survive a SIGKILL right after they were acknowledged, and are
 * nowhere in clear in the data directory or the server's log; the master key is a file of its own,
 * readable by its owner only.
 */
class SecretsAtRestTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    private static SsmClient ssm(Path data, BerthProcess berth) {
        return RunningBerth.client(SsmClient.builder(), berth.endpoint(), BerthProcess.trust(data),
                BerthProcess.credentials(data));
    }

    private static SecretsManagerClient secrets(Path data, BerthProcess berth) {
        return RunningBerth.client(SecretsManagerClient.builder(), berth.endpoint(), BerthProcess.trust(data),
                BerthProcess.credentials(data));
    }

    @Test
    void acknowledgedValuesSurviveASigkillAndAreNeverStoredOrLoggedInClear() throws IOException {
        Path data = dir.resolve("data");
        String parameterValue = "param-" + UUID.randomUUID();
        String secretValue = "secret-" + UUID.randomUUID();
        String binaryValue = "binary-" + UUID.randomUUID();
        BerthProcess berth = servers.start(data);
        try (SsmClient ssm = ssm(data, berth); SecretsManagerClient secrets = secrets(data, berth)) {
            ssm.putParameter(r -> r.name("/db/password").value(parameterValue).type(ParameterType.SECURE_STRING));
            secrets.createSecret(r -> r.name("db/creds").secretString("{\"password\":\"" + secretValue + "\"}"));
            secrets.createSecret(r -> r.name("db/cert").secretBinary(SdkBytes.fromUtf8String(binaryValue)));
            assertThat(ssm.getParameter(r -> r.name("/db/password").withDecryption(true)).parameter().value())
                    .isEqualTo(parameterValue);
        }
        berth.kill();

        assertThat(filesContaining(dir, parameterValue, secretValue, binaryValue)).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("master.key"))))
                .isEqualTo("rw-------");

        BerthProcess restarted = servers.start(data);
        try (SsmClient ssm = ssm(data, restarted); SecretsManagerClient secrets = secrets(data, restarted)) {
            assertThat(ssm.getParameter(r -> r.name("/db/password").withDecryption(true)).parameter().value())
                    .isEqualTo(parameterValue);
            assertThat(secrets.getSecretValue(r -> r.secretId("db/creds")).secretString()).contains(secretValue);
            assertThat(secrets.getSecretValue(r -> r.secretId("db/cert")).secretBinary().asUtf8String())
                    .isEqualTo(binaryValue);
        }
        restarted.kill();
        assertThat(filesContaining(dir, parameterValue, secretValue, binaryValue)).isEmpty();
    }

    /** The files under the directory (the data directory and the servers' logs) that hold any of the texts. */
    private static List<Path> filesContaining(Path root, String... texts) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(file -> {
                String content = read(file);
                return Stream.of(texts).anyMatch(content::contains);
            }).toList();
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
