package io.berth.bench;

import io.berth.server.StoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * Several nodes on one PostgreSQL store (an embedded server started here, with durable commits), each node a
 * {@code berth server} process of its own:
 * <ol>
 * <li>DescribeClusters and RunTask through a follower ÷ straight to the leader, three nodes, in alternating rounds
 * on the same resources ({@link ApiBench}'s cluster, four large container instances and task definition), with the
 * CPU time the nodes used per call;</li>
 * <li>with {@code --compare-jar}, the same on one node of this build ÷ one node of the other (each on a database of
 * its own, both running, in alternating rounds): what the lease and the fenced commits cost a lone node;</li>
 * <li>failover ({@link Failover}) on stores filled by {@link StoreFiller}, for each size.</li>
 * </ol>
 *
 * <p>{@code java -cp ... io.berth.bench.NodesBench --berth-jar berth.jar --work DIR [--sizes 10000,100000 --kills 3
 * --rounds 6 --seconds 3 --warmup 5 --concurrency 8 --lease-ttl 10 --java java --server-opts "-Xmx2g"
 * --compare-jar old/berth.jar --compare-name before --parts follower,lone,failover]}
 */
public final class NodesBench {

    static final List<String> OPERATIONS = List.of("DescribeClusters", "RunTask");
    private static final String DB_USER = "postgres";

    /** One side of a comparison: the benchmark that drives it and the server processes whose CPU time it counts. */
    record Side(String name, ApiBench bench, List<Long> serverPids) {
    }

    /** One round of one side: what the client measured, and the CPU time the side's server processes used. */
    record Round(ApiBench.Result result, long serverCpuNanos) {

        int calls() {
            return result.operations().stream().mapToInt(Latencies.Summary::calls).sum();
        }

        int errors() {
            return result.operations().stream().mapToInt(Latencies.Summary::errors).sum();
        }
    }

    /** One operation driven on two sides in alternating rounds. */
    record Comparison(String operation, String firstName, String secondName, Rounds.Both<Round> rounds) {

        double firstPerSecond() {
            return perSecond(rounds.first());
        }

        double secondPerSecond() {
            return perSecond(rounds.second());
        }

        /** Second ÷ first, every round's calls together. */
        double ratio() {
            return secondPerSecond() / firstPerSecond();
        }

        /** Second ÷ first round by round, for how much the ratio moves. */
        double[] roundRatios() {
            List<Round> first = rounds.first();
            List<Round> second = rounds.second();
            double[] ratios = new double[first.size()];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = second.get(i).result().totalPerSecond() / first.get(i).result().totalPerSecond();
            }
            return ratios;
        }

        /** The median of the rounds' own ratios: one round spoilt by the machine's other work does not move it. */
        double medianRoundRatio() {
            return Rounds.median(roundRatios());
        }

        static String header(String firstName, String secondName) {
            return "%-17s %15s %15s %8s %8s %15s %15s %15s %15s %7s".formatted("operation", firstName + " req/s",
                    secondName + " req/s", "ratio", "median", firstName + " p50", secondName + " p50",
                    firstName + " p99", secondName + " p99", "errors");
        }

        /** Requests per second over all rounds, ratio second ÷ first, median of the rounds' ratios, p50/p99 in ms. */
        String row() {
            return "%-17s %15.1f %15.1f %8.3f %8.3f %15.2f %15.2f %15.2f %15.2f %7d".formatted(operation,
                    firstPerSecond(), secondPerSecond(), ratio(), medianRoundRatio(),
                    median(rounds.first(), Latencies.Summary::p50Millis),
                    median(rounds.second(), Latencies.Summary::p50Millis),
                    median(rounds.first(), Latencies.Summary::p99Millis),
                    median(rounds.second(), Latencies.Summary::p99Millis),
                    rounds.first().stream().mapToInt(Round::errors).sum()
                            + rounds.second().stream().mapToInt(Round::errors).sum());
        }

        /** The rounds' ratios, and the servers' CPU time per call on each side. */
        String details() {
            return "%s: %s ÷ %s round by round %s; server CPU per call %s %.3f ms, %s %.3f ms".formatted(operation,
                    secondName, firstName, Arrays.stream(roundRatios()).mapToObj("%.3f"::formatted)
                            .collect(Collectors.joining(" ")),
                    firstName, cpuMillisPerCall(rounds.first()), secondName, cpuMillisPerCall(rounds.second()));
        }

        private static double perSecond(List<Round> rounds) {
            return rounds.stream().mapToInt(Round::calls).sum()
                    / rounds.stream().mapToDouble(r -> r.result().seconds()).sum();
        }

        private static double cpuMillisPerCall(List<Round> rounds) {
            return rounds.stream().mapToLong(Round::serverCpuNanos).sum() / 1e6
                    / rounds.stream().mapToInt(Round::calls).sum();
        }

        private static double median(List<Round> rounds, ToDoubleFunction<Latencies.Summary> figure) {
            return Rounds.median(rounds.stream().flatMap(r -> r.result().operations().stream()).mapToDouble(figure)
                    .toArray());
        }
    }

    /** How each throughput comparison is driven. */
    record Drive(int rounds, Duration warmup, Duration measured, int concurrency) {
    }

    private NodesBench() {
    }

    /** Each operation in alternating rounds on two sides set up on the same service or on alike ones. */
    static List<Comparison> compare(Side first, Side second, Drive drive) {
        List<Comparison> comparisons = new ArrayList<>();
        for (String operation : OPERATIONS) {
            first.bench().drive(drive.warmup(), List.of(operation));
            second.bench().drive(drive.warmup(), List.of(operation));
            comparisons.add(new Comparison(operation, first.name(), second.name(), Rounds.alternate(drive.rounds(),
                    () -> round(first, operation, drive), () -> round(second, operation, drive))));
        }
        return comparisons;
    }

    private static Round round(Side side, String operation, Drive drive) {
        long cpuBefore = cpuNanos(side.serverPids());
        ApiBench.Result result = side.bench().drive(drive.measured(), List.of(operation));
        return new Round(result, cpuNanos(side.serverPids()) - cpuBefore);
    }

    private static long cpuNanos(List<Long> pids) {
        return pids.stream().mapToLong(pid -> Processes.cpuNanos(pid).orElse(0)).sum();
    }

    /** ApiBench's resources set up through the node, signed with the store's root key. */
    private static ApiBench prepared(BerthNode node, AwsCredentials key, Drive drive) {
        return ApiBench.prepared(new ApiBench.Options(node.endpoint(), BerthNode.REGION, key.accessKeyId(),
                key.secretAccessKey(), "bench-nodes", List.of("i-0bench00000000001", "i-0bench00000000002",
                        "i-0bench00000000003", "i-0bench00000000004"), drive.concurrency(), drive.warmup(),
                drive.measured()));
    }

    /** Three nodes of this build: the leader's figures, then the same through a follower. */
    private static List<Comparison> throughFollower(RestartBench.Server build, BerthNode.Database database, Path work,
            Drive drive) {
        List<BerthNode> nodes = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                nodes.add(BerthNode.start(build, database, work.resolve("proxy-node-" + i)));
            }
            AwsCredentials key = nodes.getFirst().credentials();
            try (ApiBench leader = prepared(nodes.getFirst(), key, drive);
                    ApiBench follower = leader.through(nodes.get(1).endpoint())) {
                // Both sides count every node's CPU time: the follower's forwarding is what the second side adds.
                List<Long> pids = nodes.stream().map(BerthNode::pid).toList();
                return compare(new Side("leader", leader, pids), new Side("follower", follower, pids), drive);
            }
        } finally {
            nodes.forEach(BerthNode::close);
        }
    }

    /** One node of each build, each on a database of its own. */
    private static List<Comparison> lone(RestartBench.Server before, BerthNode.Database beforeDatabase,
            RestartBench.Server after, BerthNode.Database afterDatabase, Path work, Drive drive) {
        try (BerthNode old = BerthNode.start(before, beforeDatabase, work.resolve("lone-" + before.name()));
                BerthNode current = BerthNode.start(after, afterDatabase, work.resolve("lone-" + after.name()));
                ApiBench first = prepared(old, old.credentials(), drive);
                ApiBench second = prepared(current, current.credentials(), drive)) {
            return compare(new Side(before.name(), first, List.of(old.pid())),
                    new Side(after.name(), second, List.of(current.pid())), drive);
        }
    }

    private static void print(String title, List<Comparison> comparisons) {
        System.out.println();
        System.out.println("== " + title);
        Comparison first = comparisons.getFirst();
        System.out.println(Comparison.header(first.firstName(), first.secondName()));
        comparisons.forEach(c -> System.out.println(c.row()));
        comparisons.forEach(c -> System.out.println(c.details()));
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String java = args.get("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> serverOptions = new ArrayList<>();
        for (String option : args.get("server-opts", "").split(" ")) {
            if (!option.isBlank()) {
                serverOptions.add(option);
            }
        }
        RestartBench.Server build = RestartBench.server("berth", java, serverOptions,
                args.get("berth-jar", "berth-server/target/berth.jar"));
        String compareJar = args.get("compare-jar", "");
        String workArg = args.get("work", null);
        Path work = workArg != null ? Path.of(workArg) : Files.createTempDirectory("berth-nodes");
        Drive drive = new Drive(args.getInt("rounds", 6), seconds(args.getDouble("warmup", 5)),
                seconds(args.getDouble("seconds", 3)), args.getInt("concurrency", 8));
        String leaseTtl = args.get("lease-ttl", String.valueOf(StoreConfig.DEFAULT_LEASE_TTL.toSeconds()));
        int kills = args.getInt("kills", 3);
        List<String> parts = List.of(args.get("parts", "follower,lone,failover").split(","));
        Path masterKey = work.resolve("master.key");
        List<String> nodeOptions = List.of("--lease-ttl", leaseTtl);
        System.out.printf("PostgreSQL (embedded, synchronous_commit on); %d rounds of %.1f s per side and operation "
                + "after %.1f s of warm-up, %d calls in flight; lease TTL %s s%n", drive.rounds(),
                drive.measured().toMillis() / 1000.0, drive.warmup().toMillis() / 1000.0, drive.concurrency(), leaseTtl);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on")
                .setDataDirectory(work.resolve("postgres")).start()) {
            if (parts.contains("follower")) {
                print("DescribeClusters and RunTask, three nodes: through a follower ÷ straight to the leader",
                        throughFollower(build, database(postgres, "proxy", masterKey, nodeOptions), work, drive));
            }
            if (parts.contains("lone") && !compareJar.isBlank()) {
                String name = args.get("compare-name", "before");
                RestartBench.Server before = RestartBench.server(name, java, serverOptions, compareJar);
                // The earlier build knows no lease: it is started with the options every build has.
                print("One node on PostgreSQL: this build ÷ " + name, lone(before,
                        database(postgres, "lone_before", masterKey, List.of()), build,
                        database(postgres, "lone_berth", masterKey, nodeOptions), work, drive));
            }
            if (parts.contains("failover")) {
                failover(postgres, build, work, args.get("sizes", "10000,100000"), kills, leaseTtl, masterKey,
                        nodeOptions);
            }
        }
        System.exit(0);
    }

    /** Failover on a store filled with each number of tasks. */
    private static void failover(EmbeddedPostgres postgres, RestartBench.Server build, Path work, String sizes,
            int kills, String leaseTtl, Path masterKey, List<String> nodeOptions) throws SQLException {
        System.out.println();
        System.out.println("== Failover: SIGKILL of the leader of three nodes, lease TTL " + leaseTtl
                + " s; seconds from the kill");
        System.out.println(Failover.Result.header());
        for (String size : sizes.split(",")) {
            int tasks = Integer.parseInt(size.trim());
            BerthNode.Database database = database(postgres, "failover_" + tasks, masterKey, nodeOptions);
            double filled = StoreFiller.fill(StoreConfig.postgres(database.jdbcUrl(), DB_USER, null), work, tasks,
                    StoreFiller.DEFAULT_ACCOUNT);
            System.out.printf("(%,d tasks written to PostgreSQL in %.1f s)%n", tasks, filled);
            List<Failover.Result> results = Failover.measure(build, database, work, tasks, kills);
            System.out.printf("%,d tasks: first write %.2f s after the kill (median of %d), lease TTL %s s, "
                    + "load %.2f s (median)%n", tasks,
                    Rounds.median(results.stream().mapToDouble(Failover.Result::firstWriteSeconds).toArray()),
                    results.size(), leaseTtl,
                    Rounds.median(results.stream().mapToDouble(Failover.Result::loadSeconds).toArray()));
        }
    }

    private static BerthNode.Database database(EmbeddedPostgres postgres, String name, Path masterKey,
            List<String> options) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return new BerthNode.Database(postgres.getJdbcUrl(DB_USER, name), DB_USER, masterKey, options);
    }

    private static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
