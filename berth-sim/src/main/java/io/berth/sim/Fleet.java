package io.berth.sim;

import io.berth.model.AwsJson;
import io.berth.model.acs.AcsCodec;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;

/**
 * A fleet of {@link SimulatedAgent}s registered in one cluster. The agents share one ECS API client
 * (one connection pool), one websocket client and one timer thread, so thousands of them cost a few
 * kilobytes each and no thread of their own. For thousands of agents, run the JVM with
 * {@code -Djdk.httpclient.bufsize=2048 -Djdk.httpclient.websocket.intermediateBufferSize=2048}: the JDK
 * HTTP client's default 16 KiB buffers per websocket would otherwise make up most of an agent's memory.
 *
 * <pre>{@code
 * try (Fleet fleet = Fleet.start(endpoint, credentials, "us-east-1", "prod", 3, AgentProfile.standard())) {
 *     ecs.runTask(r -> r.cluster("prod").taskDefinition("web").count(6));
 *     fleet.agents().forEach(agent -> System.out.println(agent.runningTasks()));
 * }
 * }</pre>
 */
public final class Fleet implements AutoCloseable {

    /** Registrations and first connections in flight at once while a fleet starts. */
    private static final int STARTING_AT_ONCE = 64;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    private final Shared shared;
    private final String cluster;
    private final SdkAsyncHttpClient apiHttp;
    private final EventLoopGroup loops;
    private final ExecutorService callbacks;
    private final List<SimulatedAgent> agents = new CopyOnWriteArrayList<>();

    private Fleet(Shared shared, String cluster, SdkAsyncHttpClient apiHttp, EventLoopGroup loops,
            ExecutorService callbacks) {
        this.shared = shared;
        this.cluster = cluster;
        this.apiHttp = apiHttp;
        this.loops = loops;
        this.callbacks = callbacks;
    }

    /**
     * Starts {@code count} agents in an existing cluster and returns once every one has registered and
     * opened its ACS session.
     *
     * @param endpoint the ECS API endpoint, such as {@code http://127.0.0.1:8773}
     */
    public static Fleet start(String endpoint, AwsCredentials credentials, String region, String cluster, int count,
            AgentProfile profile) {
        ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
        // Our own event loops, shut down in the background: closing does not wait out their graceful shutdown.
        EventLoopGroup loops = new NioEventLoopGroup(2, Thread.ofPlatform().daemon(true).name("berth-sim-api-", 0)
                .factory());
        SdkAsyncHttpClient apiHttp = NettyNioAsyncHttpClient.builder()
                .eventLoopGroup(SdkEventLoopGroup.create(loops))
                .maxConcurrency(128)
                .maxPendingConnectionAcquires(1_000_000)
                .connectionAcquisitionTimeout(Duration.ofMinutes(10))
                .build();
        EcsAsyncClient ecs = EcsAsyncClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(apiHttp)
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
                .build();
        HttpClient http = HttpClient.newBuilder().executor(callbacks).connectTimeout(Duration.ofSeconds(30)).build();
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r ->
                Thread.ofPlatform().daemon(true).name("berth-sim-timers").unstarted(r));
        Fleet fleet = new Fleet(new Shared(ecs, apiHttp, http, timers, credentials, region, new AcsCodec(),
                URI.create(endpoint), new AwsJson()), cluster, apiHttp,
                loops, callbacks);
        timers.scheduleAtFixedRate(fleet::checkSilence, 10, 10, TimeUnit.SECONDS);
        try {
            fleet.add(count, profile);
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
        return fleet;
    }

    /** Starts {@code count} more agents and returns once each has registered and opened its session. */
    public List<SimulatedAgent> add(int count, AgentProfile profile) {
        Semaphore starting = new Semaphore(STARTING_AT_ONCE);
        List<CompletableFuture<SimulatedAgent>> started = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                starting.acquire();
                SimulatedAgent agent = new SimulatedAgent(shared, cluster, profile, agents.size());
                agents.add(agent);
                started.add(agent.start().whenComplete((a, failure) -> starting.release()));
            }
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                    .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting agents", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("An agent could not start: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Agents did not all connect within " + START_TIMEOUT, e);
        }
        return started.stream().map(CompletableFuture::join).toList();
    }

    /** Every agent started, including killed ones, in start order. */
    public List<SimulatedAgent> agents() {
        return List.copyOf(agents);
    }

    /** The tasks reported RUNNING and not yet STOPPED, over every agent. */
    public int runningTaskCount() {
        int count = 0;
        for (SimulatedAgent agent : agents) {
            count += agent.runningTaskCount();
        }
        return count;
    }

    private void checkSilence() {
        agents.forEach(SimulatedAgent::checkSilence);
    }

    /** Kills every agent and releases the shared clients; the instances stay registered. */
    @Override
    public void close() {
        agents.forEach(SimulatedAgent::kill);
        shared.timers().shutdownNow();
        shared.ecs().close();
        apiHttp.close();
        loops.shutdownGracefully();
        shared.http().shutdownNow();
        callbacks.shutdownNow();
    }
}
