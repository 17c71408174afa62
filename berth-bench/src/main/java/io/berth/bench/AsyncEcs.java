package io.berth.bench;

import io.berth.agent.tls.ServerTrust;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;

/**
 * An SDK v2 async ECS client on Netty for load generation: SigV4-signed, no retries (a benchmark counts
 * what the server answers; a retry would hide an error inside a latency), and its own event loops, shut
 * down in the background so that closing does not wait for them.
 */
final class AsyncEcs implements AutoCloseable {

    final EcsAsyncClient ecs;
    private final SdkAsyncHttpClient http;
    private final EventLoopGroup loops;

    AsyncEcs(String endpoint, String region, String accessKeyId, String secretAccessKey, int maxConcurrency) {
        this(endpoint, region, accessKeyId, secretAccessKey, maxConcurrency, ServerTrust.jvmDefault());
    }

    /** A client that trusts the endpoint's certificate through {@code trust}. */
    AsyncEcs(String endpoint, String region, String accessKeyId, String secretAccessKey, int maxConcurrency,
            ServerTrust trust) {
        this.loops = new NioEventLoopGroup(2, Thread.ofPlatform().daemon(true).name("berth-bench-api-", 0).factory());
        this.http = NettyNioAsyncHttpClient.builder()
                .eventLoopGroup(SdkEventLoopGroup.create(loops))
                .maxConcurrency(Math.max(maxConcurrency, 1))
                .connectionAcquisitionTimeout(Duration.ofMinutes(1))
                .tlsTrustManagersProvider(trust::trustManagers)
                .build();
        this.ecs = EcsAsyncClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
                .httpClient(http)
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    @Override
    public void close() {
        ecs.close();
        http.close();
        loops.shutdownGracefully();
    }
}
