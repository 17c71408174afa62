package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Every secret a server keeps is sealed under its master key: the root secret key is in no file of the data directory
 * but {@code credentials}, and no other secret is in any, write-ahead log included; the directory and its files are
 * their owner's alone; after {@code berth master-key rotate} everything opens as before; a server given another key
 * refuses to start, saying why.
 */
class MasterKeyTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    /** The secrets a test made: each must be nowhere in the data directory, the root's only in {@code credentials}. */
    record Made(AwsBasicCredentials root, AwsBasicCredentials user, AwsBasicCredentials commandKey,
            Credentials session, String parameter, String secret) {

        List<String> storedNowhere() {
            return List.of(user.secretAccessKey(), commandKey.secretAccessKey(), session.secretAccessKey(),
                    session.sessionToken(), parameter, secret);
        }
    }

    @Test
    void noSecretIsInTheClearInAnyFileOfTheDataDirectoryAndAllOpenAfterARotation() throws IOException {
        Path data = dir.resolve("data");
        BerthProcess berth = servers.start(data);
        Made made = makeSecrets(data, berth);
        berth.kill();

        assertSealedAtRest(data, made);
        assertThat(permissions(data)).isEqualTo("rwx------");
        assertThat(filesIn(data)).isNotEmpty().allSatisfy(f -> assertThat(permissions(f)).as(f.toString())
                .isEqualTo("rw-------"));
        String before = Files.readString(data.resolve("master.key"));

        Commands.Result rotated = BerthProcess.runCommand(Duration.ofMinutes(2), "master-key", "rotate", "--data-dir",
                data.toString());

        assertThat(rotated.exitCode()).as(rotated.output()).isZero();
        assertThat(rotated.output()).contains("Rotated the master key");
        assertThat(Files.readString(data.resolve("master.key"))).isNotEqualTo(before);
        BerthProcess restarted = servers.start(data);
        assertEverythingOpens(restarted, made);
        restarted.kill();
        assertSealedAtRest(data, made);
    }

    @Test
    void aServerGivenAnotherMasterKeyRefusesToStartAndSaysWhichKeyToGive() throws IOException {
        Path data = dir.resolve("data");
        BerthProcess berth = servers.start(data);
        berth.kill();
        Path other = Files.writeString(dir.resolve("other.key"), java.util.Base64.getEncoder()
                .encodeToString(new byte[32]) + "\n");
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-------"));

        Commands.Result refused = BerthProcess.runCommand(Duration.ofMinutes(2), "server", "--host", "127.0.0.1",
                "--port", Integer.toString(BerthProcess.freePort()), "--data-dir", data.toString(), "--master-key-file",
                other.toString());

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("does not open the secrets in this store", other.toString())
                .doesNotContain("AEADBadTagException").doesNotContain("\tat ");
    }

    private Made makeSecrets(Path data, BerthProcess berth) {
        AwsBasicCredentials root = BerthProcess.credentials(data);
        String parameter = "param-" + UUID.randomUUID();
        String secret = "secret-" + UUID.randomUUID();
        AwsBasicCredentials user;
        Credentials session;
        try (IamClient iam = iam(berth, root); StsClient sts = sts(berth, root);
             SsmClient ssm = RunningBerth.client(SsmClient.builder(), berth.endpoint(), berth.trust(), root);
             SecretsManagerClient secrets = RunningBerth.client(SecretsManagerClient.builder(), berth.endpoint(), berth.trust(), root)) {
            iam.createUser(r -> r.userName("alice"));
            var key = iam.createAccessKey(r -> r.userName("alice")).accessKey();
            user = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
            String account = sts.getCallerIdentity().account();
            String roleArn = iam.createRole(r -> r.roleName("app").assumeRolePolicyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                            + account + "\"},\"Action\":\"sts:AssumeRole\"}]}")).role().arn();
            session = sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("s1")).credentials();
            ssm.putParameter(r -> r.name("/db/password").value(parameter).type(ParameterType.SECURE_STRING));
            secrets.createSecret(r -> r.name("db/creds").secretString(secret));
        }
        Commands.Result created = BerthProcess.runCommand(Duration.ofMinutes(2), "keys", "create", "--data-dir",
                data.toString());
        assertThat(created.exitCode()).as(created.output()).isZero();
        AwsBasicCredentials commandKey = AwsBasicCredentials.create(
                value(created.output(), "aws_access_key_id"), value(created.output(), "aws_secret_access_key"));
        return new Made(root, user, commandKey, session, parameter, secret);
    }

    private static void assertEverythingOpens(BerthProcess berth, Made made) {
        AwsSessionCredentials session = AwsSessionCredentials.create(made.session().accessKeyId(),
                made.session().secretAccessKey(), made.session().sessionToken());
        for (AwsCredentials credentials : List.of(made.root(), made.user(), made.commandKey(), session)) {
            try (StsClient sts = sts(berth, credentials)) {
                assertThat(sts.getCallerIdentity().arn()).isNotBlank();
            }
        }
        try (SsmClient ssm = RunningBerth.client(SsmClient.builder(), berth.endpoint(), berth.trust(), made.root());
             SecretsManagerClient secrets = RunningBerth.client(SecretsManagerClient.builder(), berth.endpoint(), berth.trust(),
                     made.root())) {
            assertThat(ssm.getParameter(r -> r.name("/db/password").withDecryption(true)).parameter().value())
                    .isEqualTo(made.parameter());
            assertThat(secrets.getSecretValue(r -> r.secretId("db/creds")).secretString()).isEqualTo(made.secret());
        }
    }

    /** Every byte of every file under the data directory, write-ahead logs included, read for each secret. */
    private static void assertSealedAtRest(Path data, Made made) throws IOException {
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(made.storedNowhere()).as(file.toString()).noneMatch(content::contains);
                if (!file.getFileName().toString().equals("credentials")) {
                    assertThat(content).as(file.toString()).doesNotContain(made.root().secretAccessKey());
                }
            }
        }
    }

    private static IamClient iam(BerthProcess berth, AwsCredentials credentials) {
        return IamClient.builder().endpointOverride(URI.create(berth.endpoint())).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(berth.trust().sdkHttpClient()).build();
    }

    private static StsClient sts(BerthProcess berth, AwsCredentials credentials) {
        return RunningBerth.client(StsClient.builder(), berth.endpoint(), berth.trust(), credentials);
    }

    private static String value(String output, String name) {
        return output.lines().filter(l -> l.startsWith(name + " = ")).findFirst().orElseThrow()
                .substring(name.length() + 3).strip();
    }

    private static List<Path> filesIn(Path data) throws IOException {
        try (Stream<Path> files = Files.list(data)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static String permissions(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
