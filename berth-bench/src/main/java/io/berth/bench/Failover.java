package io.berth.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Cluster;

/**
 * Failover of three nodes on one PostgreSQL store: the leader killed with SIGKILL, then a CreateCluster retried
 * against every surviving node until each has accepted one. Before each kill a few clusters are created through the
 * followers, and afterwards looked for: an acknowledged write lost would show. The killed node is started again on
 * its data directory before the next kill, so that every kill leaves two nodes.
 */
final class Failover {

    /**
     * One kill: seconds from the kill until the new leader took the lease (by its log), its load of the state (by its
     * log), and until a write was first accepted at all, through the new leader, and through the other survivor.
     */
    record Result(int tasks, int kill, double leaseTakenSeconds, double loadSeconds, double firstWriteSeconds,
            double newLeaderSeconds, double otherNodeSeconds, int acknowledged, int lost) {

        static String header() {
            return "%9s %5s %14s %8s %15s %13s %13s %6s".formatted("tasks", "kill", "lease taken s", "load s",
                    "first write s", "via leader s", "via other s", "lost");
        }

        String row() {
            return "%,9d %5d %14.2f %8.2f %15.2f %13.2f %13.2f %6s".formatted(tasks, kill, leaseTakenSeconds,
                    loadSeconds, firstWriteSeconds, newLeaderSeconds, otherNodeSeconds, lost + "/" + acknowledged);
        }
    }

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration GIVE_UP = Duration.ofMinutes(3);
    private static final int ACKNOWLEDGED_PER_KILL = 5;

    private final RestartBench.Server build;
    private final BerthNode.Database database;
    private final Path work;
    private final int tasks;
    private final List<BerthNode> nodes = new ArrayList<>();
    private final List<Path> dataDirs = new ArrayList<>();
    /** The index of the node that leads. */
    private int leader;

    private Failover(RestartBench.Server build, BerthNode.Database database, Path work, int tasks) {
        this.build = build;
        this.database = database;
        this.work = work;
        this.tasks = tasks;
    }

    /** Starts three nodes on the filled database, kills the leader {@code kills} times, and stops them all. */
    static List<Result> measure(RestartBench.Server build, BerthNode.Database database, Path work, int tasks,
            int kills) {
        Failover failover = new Failover(build, database, work, tasks);
        try {
            return failover.measure(kills);
        } finally {
            failover.nodes.forEach(BerthNode::close);
        }
    }

    private List<Result> measure(int kills) {
        for (int i = 1; i <= 3; i++) {
            dataDirs.add(work.resolve("node-" + tasks + "-" + i));
            nodes.add(BerthNode.start(build, database, dataDirs.getLast()));
            if ((i == 1) == nodes.getLast().startedFollowing()) {
                throw new IllegalStateException("Node " + i + " should " + (i == 1 ? "lead" : "follow") + "; see "
                        + nodes.getLast().logFile());
            }
        }
        AwsCredentials credentials = nodes.getFirst().credentials();
        leader = 0;
        List<Result> results = new ArrayList<>();
        for (int kill = 1; kill <= kills; kill++) {
            int killed = leader;
            Result result = killLeader(kill, credentials);
            results.add(result);
            System.out.println(result.row());
            nodes.set(killed, BerthNode.start(build, database, dataDirs.get(killed)));
        }
        return results;
    }

    /** Kills the leader and measures until every survivor accepted a write; the new leader leads from then on. */
    private Result killLeader(int kill, AwsCredentials credentials) {
        List<Integer> survivors = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (i != leader) {
                survivors.add(i);
            }
        }
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < ACKNOWLEDGED_PER_KILL; i++) {
            String name = "acknowledged-" + kill + "-" + i;
            try (EcsClient ecs = nodes.get(survivors.get(i % survivors.size())).client(credentials, CALL_TIMEOUT)) {
                ecs.createCluster(r -> r.clusterName(name));
            }
            acknowledged.add(name);
        }
        long epochBefore = NodeLog.lastTakeover(nodes.get(leader).log()).orElseThrow().epoch();
        Map<Integer, EcsClient> clients = new ConcurrentHashMap<>();
        survivors.forEach(i -> clients.put(i, nodes.get(i).client(credentials, CALL_TIMEOUT)));
        Map<Integer, Long> accepted = new ConcurrentHashMap<>();
        LocalTime killedAt = LocalTime.now();
        long began = System.nanoTime();
        nodes.get(leader).kill();
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int survivor : survivors) {
                String name = "failover-" + kill + "-" + survivor;
                writers.submit(() -> writeUntilAccepted(clients.get(survivor), name, began)
                        .ifPresent(at -> accepted.put(survivor, at)));
            }
            writers.shutdown();
            writers.awaitTermination(GIVE_UP.toSeconds() + 10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
        int newLeader = newLeader(leader, epochBefore);
        NodeLog.Takeover takeover = awaitLoad(nodes.get(newLeader));
        leader = newLeader;
        int lost = lost(clients.get(newLeader), acknowledged);
        clients.values().forEach(EcsClient::close);
        double other = survivors.stream().filter(i -> i != newLeader).mapToDouble(i -> seconds(accepted.get(i)))
                .findFirst().orElse(Double.NaN);
        return new Result(tasks, kill, NodeLog.secondsBetween(killedAt, takeover.leaseTakenAt()),
                takeover.loadMillis() / 1000.0,
                accepted.values().stream().mapToDouble(Failover::seconds).min().orElse(Double.NaN),
                seconds(accepted.get(newLeader)), other, acknowledged.size(), lost);
    }

    /** Nanoseconds after the kill as seconds; NaN for a node that never accepted the write. */
    private static double seconds(Long nanos) {
        return nanos == null ? Double.NaN : nanos / 1e9;
    }

    /** CreateCluster until one is accepted: the nanoseconds since {@code began} when it was, or empty on giving up. */
    private static OptionalLong writeUntilAccepted(EcsClient ecs, String name, long began) {
        while (System.nanoTime() - began < GIVE_UP.toNanos()) {
            try {
                ecs.createCluster(r -> r.clusterName(name));
                return OptionalLong.of(System.nanoTime() - began);
            } catch (SdkException e) {
                BerthNode.sleep(Duration.ofMillis(20));
            }
        }
        return OptionalLong.empty();
    }

    /** The node, other than the one killed, that took the lease after the given epoch. */
    private int newLeader(int killed, long epochBefore) {
        for (int i = 0; i < nodes.size(); i++) {
            if (i != killed && NodeLog.lastTakeover(nodes.get(i).log()).filter(t -> t.epoch() > epochBefore)
                    .isPresent()) {
                return i;
            }
        }
        throw new IllegalStateException("No node took the lease after epoch " + epochBefore);
    }

    /** The new leader's takeover once its log says how long the load took (it has answered, so it is done). */
    private static NodeLog.Takeover awaitLoad(BerthNode node) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        NodeLog.Takeover takeover = NodeLog.lastTakeover(node.log()).orElseThrow();
        while (takeover.loadMillis() < 0 && System.nanoTime() < deadline) {
            BerthNode.sleep(Duration.ofMillis(20));
            takeover = NodeLog.lastTakeover(node.log()).orElseThrow();
        }
        return takeover;
    }

    /** How many of the clusters created before the kill the new leader does not describe as ACTIVE. */
    private static int lost(EcsClient ecs, List<String> acknowledged) {
        List<Cluster> clusters = ecs.describeClusters(r -> r.clusters(acknowledged)).clusters();
        return acknowledged.size() - (int) clusters.stream().filter(c -> "ACTIVE".equals(c.status())).count();
    }
}
