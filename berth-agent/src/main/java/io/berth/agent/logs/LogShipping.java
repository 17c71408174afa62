package io.berth.agent.logs;

import io.berth.agent.tls.ServerTrust;
import io.berth.agent.docker.DockerRuntime;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClientBuilder;

/**
 * The agent's {@code awslogs} shipping: one {@link ContainerLogShipper} per container whose log goes to CloudWatch
 * Logs, each resuming from the position recorded in {@value ShippedPositions#FILE_NAME} in the agent's data
 * directory. Closing it stops every shipper without flushing; the next agent resumes them.
 */
public final class LogShipping implements AutoCloseable {

    /**
     * What an agent shipping awslogs advertises: the log driver, and signing with the task execution role. Only for
     * an agent whose task engine hands its awslogs containers to {@link #ship}.
     */
    public static final List<String> CAPABILITIES = List.of("com.amazonaws.ecs.capability.logging-driver.awslogs",
            "ecs.capability.execution-role-awslogs");

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final LogSource source;
    private final ShippedPositions positions;
    private final URI endpoint;
    private final String region;
    private final LogsSender.Backoff backoff;
    private final ServerTrust trust;
    private final Map<String, ContainerLogShipper> shippers = new HashMap<>();
    private boolean closed;

    LogShipping(LogSource source, ShippedPositions positions, URI endpoint, String region,
            LogsSender.Backoff backoff) {
        this(source, positions, endpoint, region, backoff, ServerTrust.jvmDefault());
    }

    LogShipping(LogSource source, ShippedPositions positions, URI endpoint, String region,
            LogsSender.Backoff backoff, ServerTrust trust) {
        this.source = source;
        this.positions = positions;
        this.endpoint = endpoint;
        this.region = region;
        this.backoff = backoff;
        this.trust = trust;
    }

    /**
     * Shipping from the given Docker daemon.
     *
     * @param dataDirectory where positions are recorded ({@code ECS_DATADIR}); null keeps them in memory only
     * @param endpoint the endpoint the agent talks to, for options without {@code awslogs-endpoint}; null for AWS's
     * @param region the agent's region, for options without {@code awslogs-region}
     */
    public static LogShipping start(DockerRuntime docker, Path dataDirectory, URI endpoint, String region) {
        return start(docker, dataDirectory, endpoint, region, ServerTrust.jvmDefault());
    }

    /** As {@link #start(DockerRuntime, Path, URI, String)}, trusting the endpoints' certificates through {@code trust}. */
    public static LogShipping start(DockerRuntime docker, Path dataDirectory, URI endpoint, String region,
            ServerTrust trust) {
        return new LogShipping(LogSource.of(docker),
                dataDirectory == null ? ShippedPositions.inMemory() : ShippedPositions.in(dataDirectory), endpoint,
                region, LogsSender.Backoff.DEFAULT, trust);
    }

    /**
     * Ships a container's log from where it was last shipped (from its start the first time). Call it once the
     * container is created, and again for every container an agent re-adopts after its restart; a container already
     * shipping keeps its shipper.
     *
     * @param dockerId the container's Docker id
     * @param containerName the container's name in the task definition
     * @param taskArn the task's ARN, whose last part names the stream with {@code awslogs-stream-prefix}
     * @param credentials whom to sign as: the task execution role's credentials when the task has one, else the
     *        agent's own
     */
    public synchronized ContainerLogShipper ship(String dockerId, String containerName, String taskArn,
            AwslogsOptions options, AwsCredentialsProvider credentials) {
        if (closed) {
            throw new IllegalStateException("Log shipping is closed");
        }
        ContainerLogShipper running = shippers.get(dockerId);
        if (running != null) {
            return running;
        }
        String stream = options.streamName(containerName, taskArn, dockerId);
        CloudWatchLogsClient client = client(options, credentials);
        LogsSender sender = new LogsSender(client, options.group(), stream, options.createGroup(),
                options.createStream(), backoff);
        ContainerLogShipper[] shipper = new ContainerLogShipper[1];
        shipper[0] = new ContainerLogShipper(dockerId, options, stream, source, positions, sender, backoff, () -> {
            client.close();
            stopped(dockerId, shipper[0]);
        });
        shippers.put(dockerId, shipper[0]);
        return shipper[0].start();
    }

    /** The shipper of a container, while it ships. */
    public synchronized Optional<ContainerLogShipper> shipper(String dockerId) {
        return Optional.ofNullable(shippers.get(dockerId));
    }

    /** Forgets a container being removed: stops its shipper and drops its recorded position. */
    public void forget(String dockerId) {
        ContainerLogShipper shipper;
        synchronized (this) {
            shipper = shippers.remove(dockerId);
        }
        if (shipper != null) {
            shipper.close();
        }
        positions.remove(dockerId);
    }

    /** Stops every shipper where it is; their positions stay recorded for the next start. */
    @Override
    public void close() {
        List<ContainerLogShipper> running;
        synchronized (this) {
            closed = true;
            running = new ArrayList<>(shippers.values());
        }
        running.forEach(ContainerLogShipper::close);
    }

    private synchronized void stopped(String dockerId, ContainerLogShipper shipper) {
        shippers.remove(dockerId, shipper);
    }

    private CloudWatchLogsClient client(AwslogsOptions options, AwsCredentialsProvider credentials) {
        CloudWatchLogsClientBuilder builder = CloudWatchLogsClient.builder()
                .region(Region.of(options.region() != null ? options.region() : region))
                .credentialsProvider(credentials)
                .httpClient(trust.sdkHttpClient())
                // the sender retries on its own terms, with back-off through an outage
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(CALL_TIMEOUT));
        URI target = options.endpoint() != null ? options.endpoint() : endpoint;
        if (target != null) {
            builder.endpointOverride(target);
        }
        return builder.build();
    }
}
