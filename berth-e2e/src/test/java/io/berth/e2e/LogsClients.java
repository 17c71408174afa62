package io.berth.e2e;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import io.berth.agent.tls.ServerTrust;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** SDK v2 CloudWatch Logs clients for a server under test. */
final class LogsClients {

    private LogsClients() {
    }

    /** A client signed with the server's first key (the account's root). */
    static CloudWatchLogsClient of(RunningBerth berth) {
        return of(berth.endpoint(), berth.trust(), AwsBasicCredentials.create(berth.key().accessKeyId(),
                berth.key().secretAccessKey()));
    }

    static CloudWatchLogsClient of(String endpoint, ServerTrust trust, AwsCredentials credentials) {
        return CloudWatchLogsClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(RunningBerth.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(trust.sdkHttpClient())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }
}
