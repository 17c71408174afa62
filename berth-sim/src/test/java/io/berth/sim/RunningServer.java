package io.berth.sim;

import io.berth.control.iam.AccessKey;
import io.berth.server.BerthServer;
import io.berth.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * A real Berth server for the tests of a class, on a free loopback port with its data in a directory of its own, and
 * an ECS client signed with the root key it created on first start; stopped and removed after the class.
 */
final class RunningServer implements BeforeAllCallback, AfterAllCallback {

    private final String region;
    private Path dataDir;
    private BerthServer server;
    private AwsBasicCredentials credentials;
    private EcsClient ecs;

    RunningServer(String region) {
        this.region = region;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("berth-sim-");
        server = BerthServer.start(new ServerConfig("127.0.0.1", 0, dataDir, region, null, "aws", false, null));
        AccessKey key = server.firstKey();
        credentials = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
        ecs = EcsClient.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        ecs.close();
        server.close();
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    BerthServer server() {
        return server;
    }

    EcsClient ecs() {
        return ecs;
    }

    /** The shared-credentials file with the root key, which the server wrote into its data directory. */
    Path credentialsFile() {
        return dataDir.resolve(BerthServer.CREDENTIALS_FILE);
    }

    /** Simulated agents registered into the cluster, signed with the root key. */
    Fleet fleet(String cluster, int agents, AgentProfile profile) {
        return Fleet.start(server.endpoint(), credentials, region, cluster, agents, profile);
    }
}
