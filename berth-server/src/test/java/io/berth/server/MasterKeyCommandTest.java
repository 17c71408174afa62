package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.crypto.MasterKeyFile;
import io.berth.control.crypto.Resealing;
import io.berth.control.crypto.Sealer;
import io.berth.control.iam.AccessKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code berth master-key rotate} and the master key the server and the commands beside it are given. */
class MasterKeyCommandTest {

    @TempDir
    Path dir;

    /** What one command printed and how it exited. */
    record Run(int exitCode, String out, String err) {
    }

    @Test
    void afterARotationTheServerOpensEveryKeyWithTheNewMasterKeyAndThePreviousKeyIsGone() throws IOException {
        Path data = dir.resolve("data");
        AccessKey first;
        AccessKey second;
        try (BerthServer server = BerthServer.start(config(data, null))) {
            first = server.firstKey();
            second = server.accessKeys().create(server.accountId());
        }
        String before = Files.readString(data.resolve("master.key"));

        Run rotated = berth("master-key", "rotate", "--data-dir", data.toString());

        assertThat(rotated.exitCode()).as(rotated.err()).isZero();
        assertThat(rotated.out()).contains("Rotated the master key", "sealed 3 stored documents again");
        assertThat(Files.readString(data.resolve("master.key"))).isNotEqualTo(before);
        assertThat(MasterKeyFile.previous(data.resolve("master.key"))).doesNotExist();
        try (BerthServer server = BerthServer.start(config(data, null))) {
            assertThat(server.accessKeys().find(first.accessKeyId())).contains(first);
            assertThat(server.accessKeys().find(second.accessKeyId())).contains(second);
        }
        Path old = Files.writeString(dir.resolve("old.key"), before);
        assertThatThrownBy(() -> BerthServer.start(config(data, old)))
                .isInstanceOf(Resealing.WrongMasterKeyException.class);
    }

    @Test
    void aRotationThatStoppedIsFinishedByRunningItAgain() throws IOException {
        Path data = dir.resolve("data");
        AccessKey first;
        try (BerthServer server = BerthServer.start(config(data, null))) {
            first = server.firstKey();
        }
        Path keyFile = data.resolve("master.key");
        MasterKeyFile.beginRotation(keyFile);
        try (BerthServer meanwhile = BerthServer.start(config(data, null))) {
            assertThat(meanwhile.accessKeys().find(first.accessKeyId())).contains(first);
        }

        assertThat(berth("master-key", "rotate", "--data-dir", data.toString()).exitCode()).isZero();

        assertThat(MasterKeyFile.previous(keyFile)).doesNotExist();
        try (BerthServer server = BerthServer.start(config(data, null))) {
            assertThat(server.accessKeys().find(first.accessKeyId())).contains(first);
        }
    }

    @Test
    void aRotationWhileAServerUsesTheDataDirectoryIsRefusedAndChangesNothing() throws IOException {
        Path data = dir.resolve("data");
        try (BerthServer server = BerthServer.start(config(data, null))) {
            String before = Files.readString(data.resolve("master.key"));

            Run refused = berth("master-key", "rotate", "--data-dir", data.toString());

            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).contains("Another Berth server is using the data directory");

            assertThat(Files.readString(data.resolve("master.key"))).isEqualTo(before);
        }
    }

    @Test
    void aServerGivenAnotherStoresMasterKeyDoesNotStartAndSaysWhichKeyToGive() {
        Path data = dir.resolve("data");
        BerthServer.start(config(data, null)).close();
        Path other = dir.resolve("other.key");
        Sealer.fromKeyFile(other);

        assertThatThrownBy(() -> BerthServer.start(config(data, other)))
                .isInstanceOf(Resealing.WrongMasterKeyException.class)
                .hasMessageContaining(other.toString())
                .hasMessageContaining("does not open the secrets in this store")
                .hasMessageContaining("--master-key-file");
    }

    @Test
    void theKeysCommandWithAnotherStoresMasterKeySaysSoInOneLineAndCreatesNothing() {
        Path data = dir.resolve("data");
        BerthServer.start(config(data, null)).close();
        Path other = dir.resolve("other.key");
        Sealer.fromKeyFile(other);

        Run refused = berth("keys", "create", "--data-dir", data.toString(), "--master-key-file", other.toString());

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("does not open the secrets in this store").doesNotContain("\tat ")
                .doesNotContain("AEADBadTagException");
        assertThat(berth("keys", "list", "--data-dir", data.toString()).out().lines().filter(l -> l.startsWith("AKIA")))
                .hasSize(1);
    }

    @Test
    void rotatingWithoutAMasterKeyFileIsRefused() {
        Run refused = berth("master-key", "rotate", "--data-dir", dir.resolve("nothing").toString());

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("There is no master key");
    }

    private static ServerConfig config(Path data, Path masterKey) {
        return new ServerConfig("127.0.0.1", 0, data, "us-east-1", null, "aws", false, null, StoreConfig.sqlite(),
                masterKey);
    }

    /** Runs the command line as {@code berth} would, capturing what it prints; a failure other than a refusal throws. */
    private static Run berth(String... arguments) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = Berth.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ByteArrayOutputStream printedErr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(printedErr, true, StandardCharsets.UTF_8));
        int exitCode;
        try {
            exitCode = commandLine.execute(arguments);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        String errors = err + printedErr.toString(StandardCharsets.UTF_8);
        if (errors.contains("\tat ")) {
            throw new IllegalStateException(errors);
        }
        return new Run(exitCode, printed.toString(StandardCharsets.UTF_8), errors);
    }
}
