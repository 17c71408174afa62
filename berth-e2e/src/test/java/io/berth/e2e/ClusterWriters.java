package io.berth.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * One writer per node given, each creating clusters through its node one after another until closed, recording when
 * each call started and how it ended.
 */
final class ClusterWriters implements AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration AFTER_A_FAILURE = Duration.ofMillis(100);

    /**
     * One CreateCluster call: the cluster's name, when the call started and ended, how it ended, and the HTTP status
     * of the error the server answered (null when it answered success or did not answer).
     */
    record Call(String cluster, Instant started, Instant ended, Outcome outcome, Integer errorStatus) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    private ClusterWriters() {
    }

    /** Starts a writer on each node; names are {@code prefix-<node>-<n>}. */
    static ClusterWriters start(NodeSet nodes, List<Node> through, String prefix) {
        return start(nodes, through, prefix, CALL_TIMEOUT);
    }

    /** Starts a writer on each node whose calls give up after the timeout. */
    static ClusterWriters start(NodeSet nodes, List<Node> through, String prefix, Duration callTimeout) {
        ClusterWriters writers = new ClusterWriters();
        for (Node node : through) {
            EcsClient ecs = nodes.ecs(node, callTimeout);
            writers.threads.submit(() -> writers.write(ecs, prefix + "-" + (node.index() + 1)));
        }
        return writers;
    }

    private void write(EcsClient ecs, String prefix) {
        for (int n = 1; !stopped.get(); n++) {
            String name = prefix + "-" + n;
            Instant started = Instant.now();
            try {
                ecs.createCluster(r -> r.clusterName(name));
                calls.add(new Call(name, started, Instant.now(), Outcome.ACKNOWLEDGED, null));
            } catch (AwsServiceException e) {
                calls.add(new Call(name, started, Instant.now(), Outcome.of(e), e.statusCode()));
                pause(AFTER_A_FAILURE);
            } catch (RuntimeException e) {
                calls.add(new Call(name, started, Instant.now(), Outcome.of(e), null));
                pause(AFTER_A_FAILURE);
            }
        }
    }

    /** Waits until {@code count} calls started at or after {@code since} were acknowledged. */
    void awaitAcknowledged(Instant since, int count, Duration within) {
        await().atMost(within).alias(count + " acknowledged creates since " + since)
                .until(() -> acknowledgedSince(since).size() >= count);
    }

    List<Call> acknowledgedSince(Instant since) {
        return calls.stream().filter(c -> c.outcome() == Outcome.ACKNOWLEDGED && !c.started().isBefore(since))
                .toList();
    }

    /** When the first acknowledgement came of a call started at or after {@code since}. */
    Optional<Instant> firstAcknowledgedSince(Instant since) {
        return acknowledgedSince(since).stream().map(Call::ended).min(Instant::compareTo);
    }

    List<String> clusters(Outcome outcome) {
        return calls.stream().filter(c -> c.outcome() == outcome).map(Call::cluster).toList();
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The clusters of calls the server answered with an error, whatever its status. */
    List<String> clustersAnsweredWithAnError() {
        return calls.stream().filter(c -> c.errorStatus() != null).map(Call::cluster).toList();
    }

    /** Stops the writers and waits for their calls in flight to end. */
    @Override
    public void close() {
        stopped.set(true);
        threads.close();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
