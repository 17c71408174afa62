package io.berth.e2e;

import io.berth.agent.tls.ServerTrust;
import io.berth.control.iam.AccessKey;
import io.berth.control.iam.Authorizer;
import io.berth.control.iam.RoleSessions;
import io.berth.server.BerthServer;
import io.berth.server.ServerConfig;
import io.berth.server.tls.TlsConfig;
import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A real Berth server on a free loopback port with its data in a directory of the test's, serving HTTPS with the
 * certificate authority it created there, and AWS SDK v2 clients that trust that CA, signed with the key it created
 * on first start.
 */
public final class RunningBerth implements AutoCloseable {

    public static final String REGION = "us-east-1";

    private final Path dataDir;
    private final BerthServer server;
    private final AccessKey key;
    private final ServerTrust trust;

    private RunningBerth(Path dataDir, BerthServer server, AccessKey key) {
        this.dataDir = dataDir;
        this.server = server;
        this.key = key;
        this.trust = ServerTrust.withCaBundle(server.trustedCertificates());
    }

    public static RunningBerth start(Path dataDir) {
        BerthServer server = BerthServer.start(config(dataDir, false));
        return new RunningBerth(dataDir, server, server.firstKey());
    }

    /** Starts a server whose tasks get their roles' credentials from the given sessions. */
    public static RunningBerth start(Path dataDir, RoleSessions roleSessions) {
        BerthServer server = BerthServer.start(config(dataDir, false), roleSessions);
        return new RunningBerth(dataDir, server, server.firstKey());
    }

    /** Starts a server whose principals other than root may do what the authorizer allows. */
    public static RunningBerth start(Path dataDir, Authorizer authorizer) {
        BerthServer server = BerthServer.start(config(dataDir, false), authorizer);
        return new RunningBerth(dataDir, server, server.firstKey());
    }

    /** Starts a server in development mode: any credentials are accepted. */
    public static RunningBerth startDev(Path dataDir) {
        BerthServer server = BerthServer.start(config(dataDir, true));
        return new RunningBerth(dataDir, server, server.firstKey());
    }

    /** A server of the test CA (see {@link TestCa}) on a free loopback port. */
    static ServerConfig config(Path dataDir, boolean dev) {
        TestCa.install(dataDir);
        return new ServerConfig("127.0.0.1", 0, dataDir, REGION, null, "aws", dev, null)
                .withTls(TlsConfig.selfSigned());
    }

    public EcsClient ecs() {
        return ecs(REGION);
    }

    public EcsClient ecs(String region) {
        return ecs(region, key.accessKeyId(), key.secretAccessKey());
    }

    /** A client signed with the given key. */
    public EcsClient ecs(AccessKey signingKey) {
        return ecs(REGION, signingKey.accessKeyId(), signingKey.secretAccessKey());
    }

    public EcsClient ecs(String region, String accessKeyId, String secretAccessKey) {
        return EcsClient.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
                .httpClient(trust.sdkHttpClient())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    /** An IAM client signed with the first key (the account's root). */
    public IamClient iam() {
        return iam(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
    }

    public IamClient iam(AwsCredentials credentials) {
        return IamClient.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(trust.sdkHttpClient())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    /** An STS client signed with the first key (the account's root). */
    public StsClient sts() {
        return sts(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
    }

    public StsClient sts(AwsCredentials credentials) {
        return StsClient.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(trust.sdkHttpClient())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    /** An ECS client acting with the credentials (a user's key, or temporary credentials with their token). */
    public EcsClient ecs(AwsCredentials credentials) {
        return EcsClient.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(trust.sdkHttpClient())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    /** An SSM client signed with the first key (the account's root). */
    public SsmClient ssm() {
        return ssm(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
    }

    public SsmClient ssm(AwsCredentials credentials) {
        return client(SsmClient.builder(), server.endpoint(), trust, credentials);
    }

    /** A Secrets Manager client signed with the first key (the account's root). */
    public SecretsManagerClient secretsManager() {
        return secretsManager(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
    }

    public SecretsManagerClient secretsManager(AwsCredentials credentials) {
        return client(SecretsManagerClient.builder(), server.endpoint(), trust, credentials);
    }

    /**
     * A client of any AWS service at the endpoint, trusting its certificate through {@code trust}, in {@link #REGION},
     * signed with the credentials, without retries.
     */
    static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, String endpoint,
            ServerTrust trust, AwsCredentials credentials) {
        return builder.endpointOverride(URI.create(endpoint))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(trust.sdkHttpClient())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    public BerthServer server() {
        return server;
    }

    public String endpoint() {
        return server.endpoint();
    }

    /** The CA certificate clients trust the server through ({@code ca.pem} in its data directory). */
    public Path caBundle() {
        return server.trustedCertificates();
    }

    /** The JVM's trust store and the server's CA: what every client of the server here trusts. */
    public ServerTrust trust() {
        return trust;
    }

    public String accountId() {
        return server.accountId();
    }

    public AccessKey key() {
        return key;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        server.close();
    }
}
