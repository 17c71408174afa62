package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.iam.AccessKey;
import io.berth.control.iam.AccessKeys;
import io.berth.control.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/** What a server says when it starts: where it truly listens, and set-up lines that leave the default profile alone. */
class WelcomeTest {

    @TempDir
    Path dataDir;

    @Test
    void boundToEveryAddressItSaysSoAndTheUrlThisHostUses() {
        ServerConfig config = config("0.0.0.0");

        assertThat(Berth.ServerCommand.listening(config, 8773, config.endpoint(8773)))
                .isEqualTo("0.0.0.0:8773 (every address of this host) as http://127.0.0.1:8773");
    }

    @Test
    void boundToOneAddressItNamesTheEndpointOnThatAddress() {
        ServerConfig config = config("10.0.0.5");

        assertThat(Berth.ServerCommand.listening(config, 8773, config.endpoint(8773))).isEqualTo("http://10.0.0.5:8773");
    }

    @Test
    void setUpLinesConfigureTheBerthProfileOnly() {
        AccessKey key = key();

        String printed = printed(() -> Berth.printProfile(key, "eu-west-1"));

        assertThat(printed.lines()).containsExactly(
                "  aws configure set aws_access_key_id " + key.accessKeyId() + " --profile berth",
                "  aws configure set aws_secret_access_key " + key.secretAccessKey() + " --profile berth",
                "  aws configure set region eu-west-1 --profile berth",
                "  export AWS_PROFILE=berth");
    }

    @Test
    void credentialsFileHoldsTheKeyAsProfileBerthAndAsTheDefault() throws Exception {
        AccessKey key = key();
        Path file = dataDir.resolve(BerthServer.CREDENTIALS_FILE);

        BerthServer.writeCredentials(file, key);

        for (String profile : new String[] {"default", "berth"}) {
            AwsCredentials read = ProfileCredentialsProvider.builder()
                    .profileFile(ProfileFile.builder().content(file).type(ProfileFile.Type.CREDENTIALS).build())
                    .profileName(profile).build().resolveCredentials();
            assertThat(read.accessKeyId()).as(profile).isEqualTo(key.accessKeyId());
            assertThat(read.secretAccessKey()).as(profile).isEqualTo(key.secretAccessKey());
        }
        assertThat(Files.getPosixFilePermissions(file)).hasToString("[OWNER_READ, OWNER_WRITE]");
    }

    private ServerConfig config(String host) {
        return new ServerConfig(host, 8773, dataDir, "us-east-1", null, "aws", false, null);
    }

    private AccessKey key() {
        try (Store store = StoreConfig.sqlite().open(dataDir)) {
            AccessKeys keys = new AccessKeys(store, io.berth.control.crypto.Sealer.withKey(new byte[32]), Clock.systemUTC());
            return keys.create(keys.account(null).accountId());
        }
    }

    private static String printed(Runnable printing) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            printing.run();
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
