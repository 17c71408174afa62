package io.berth.bench;

import io.berth.sim.AgentProfile;
import io.berth.sim.Fleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.PlacementStrategyType;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;

/**
 * Scheduling at scale: a fleet of simulated instances in one cluster, then RunTask calls of ten tasks
 * each, several in flight, until the wanted number of tasks is placed. Reports placements per second,
 * RunTask latency, and how long after the last RunTask every task was RUNNING by the agents' own
 * (accepted) reports. Without {@code --endpoint} it starts a Berth server in this process, with its
 * state in a temporary directory.
 *
 * With {@code --services N} the tasks come from N services instead of RunTask.
 *
 * <p>{@code java -cp ... io.berth.bench.SchedulingBench [--instances 200 --tasks 2000 --concurrency 8
 * --strategy binpack|spread --services 0 --progress true --warmup 0 --endpoint URL --server-pid PID
 * --access-key K --secret-key S --region us-east-1 --json out.json]}
 */
public final class SchedulingBench {

    private static final int PER_CALL = 10;
    /** Baselines from published figures: Berth's target, Nomad's million-container run, Kubernetes' SLO. */
    private static final double TARGET_PER_SECOND = 5000;
    private static final double NOMAD_PER_SECOND = 3750;
    private static final double KUBERNETES_PER_SECOND = 90;
    private static final Duration ALL_RUNNING_TIMEOUT = Duration.ofMinutes(30);
    /**
     * How often the agents' RUNNING tasks are counted: counting goes through every task of every
     * agent, so the larger the run the less often (20 ms up to 10,000 tasks, 200 ms at 100,000).
     */
    private static long pollMillis(int tasks) {
        return Math.max(20, Math.min(200, tasks / 500));
    }

    /**
     * What to measure.
     *
     * @param endpoint an ECS endpoint, or null to start a server in this process
     * @param strategy {@code binpack} (on memory) or {@code spread} (over instances)
     * @param services 0 to place by RunTask; otherwise the tasks come from this many services,
     *     {@code tasks / services} each, created {@code concurrency} at a time
     * @param serverPid the process id of the server at {@code endpoint} when it runs on this machine, to tell its
     *     CPU apart from the simulated fleet's and the load generator's; 0 when unknown
     * @param warmupTasks tasks placed by RunTask and reported RUNNING before the measured ones, uncounted, so that
     *     the figures are those of a server whose code the JVM has compiled rather than of one still compiling it
     */
    public record Options(String endpoint, String region, String accessKeyId, String secretAccessKey, int instances,
            int tasks, int concurrency, String strategy, int services, boolean progress, long serverPid,
            int warmupTasks) {

        public Options(String endpoint, String region, String accessKeyId, String secretAccessKey, int instances,
                int tasks, int concurrency, String strategy, int services) {
            this(endpoint, region, accessKeyId, secretAccessKey, instances, tasks, concurrency, strategy, services, false,
                    0, 0);
        }
    }

    /** The figures of one run. */
    public record Result(int instances, double fleetStartSeconds, int placed, int unplaced, double placingSeconds,
            Latencies.Summary runTask, double allRunningSeconds, double placingCpuSeconds, int services,
            double serverCpuSeconds) {

        /**
         * CPU time of this process per placement while placing (server, simulated agents and load
         * generator together when the server runs here): steadier than placements/s on a shared machine.
         */
        public double cpuMillisPerPlacement() {
            return placed == 0 ? Double.NaN : placingCpuSeconds * 1000 / placed;
        }

        public double placementsPerSecond() {
            return placed / placingSeconds;
        }

        /** CPU time of the server alone per placement, when it ran in a process of its own; NaN otherwise. */
        public double serverCpuMillisPerPlacement() {
            return placed == 0 ? Double.NaN : serverCpuSeconds * 1000 / placed;
        }

        /**
         * Placements per second that {@code cores} cores would give the server at its measured CPU cost per
         * placement, the agents and clients running elsewhere, as they do in a cloud.
         */
        public double serverPlacementsPerSecond(int cores) {
            return cores * 1000 / serverCpuMillisPerPlacement();
        }

        public String text() {
            String calls = services == 0
                    ? "RunTask (count %d) calls            %d, p50 %.2f ms, p99 %.2f ms".formatted(PER_CALL,
                            runTask.calls(), runTask.p50Millis(), runTask.p99Millis())
                    : "CreateService calls (%d tasks each) %d, p50 %.2f ms, p99 %.2f ms".formatted(
                            (placed + unplaced) / Math.max(1, services), runTask.calls(), runTask.p50Millis(),
                            runTask.p99Millis());
            String placedLine = services == 0
                    ? "tasks placed                        %d (%d refused for lack of room)".formatted(placed, unplaced)
                    : "tasks RUNNING                       %d of %d, by the agents' reports".formatted(placed,
                            placed + unplaced);
            String rateLine = services == 0
                    ? "placements/s                        %.0f".formatted(placementsPerSecond())
                    : "placements/s                        %.0f (first CreateService to every task RUNNING, %.2f s)"
                            .formatted(placementsPerSecond(), placingSeconds);
            String runningLine = services == 0
                    ? "every task RUNNING                  %.2f s after the last RunTask".formatted(allRunningSeconds)
                    : "every task RUNNING                  %.2f s after the last CreateService".formatted(allRunningSeconds);
            String serverLine = Double.isNaN(serverCpuSeconds) ? ""
                    : ("CPU of the server process alone    %.2f s (%.2f cores busy), %.3f ms per placement: "
                            + "%.0f placements/s on 2 cores of its own (%.2fx the 5,000/s target)%n").formatted(
                            serverCpuSeconds, serverCpuSeconds / placingSeconds, serverCpuMillisPerPlacement(),
                            serverPlacementsPerSecond(2), serverPlacementsPerSecond(2) / TARGET_PER_SECOND);
            return """
                    instances registered and connected  %d in %.2f s (%.0f/s)
                    %s
                    %s
                    %s
                    %s
                    CPU of this process while placing   %.2f s (%.2f cores busy), %.3f ms per placement
                    %splacements/s ÷ baselines            %.2fx the 5,000/s target, %.2fx Nomad's 3,750/s, \
                    %.2fx the 90 pods/s Kubernetes requires
                    """.formatted(instances, fleetStartSeconds, instances / fleetStartSeconds, placedLine, rateLine,
                    calls, runningLine, placingCpuSeconds, placingCpuSeconds / placingSeconds, cpuMillisPerPlacement(),
                    serverLine,
                    placementsPerSecond() / TARGET_PER_SECOND,
                    placementsPerSecond() / NOMAD_PER_SECOND, placementsPerSecond() / KUBERNETES_PER_SECOND);
        }

        public String json() {
            return ("{\"instances\":%d,\"fleetStartSeconds\":%.3f,\"placed\":%d,\"unplaced\":%d,\"placingSeconds\":%.3f,"
                    + "\"placementsPerSecond\":%.1f,\"runTask\":%s,\"allRunningSeconds\":%.3f,"
                    + "\"placingCpuSeconds\":%.3f,\"serverCpuSeconds\":%.3f}").formatted(instances,
                    fleetStartSeconds, placed, unplaced, placingSeconds, placementsPerSecond(), runTask.json(),
                    allRunningSeconds, placingCpuSeconds, serverCpuSeconds);
        }
    }

    private SchedulingBench() {
    }

    public static Result run(Options options) {
        if (options.endpoint() != null) {
            return run(options, options.endpoint(), options.accessKeyId(), options.secretAccessKey());
        }
        return LocalServer.run(options.region(), (endpoint, keyId, secret) -> run(options, endpoint, keyId, secret));
    }

    private static Result run(Options options, String endpoint, String accessKeyId, String secretAccessKey) {
        AwsBasicCredentials credentials = AwsBasicCredentials.create(accessKeyId, secretAccessKey);
        String cluster = "bench-scheduling-" + Long.toHexString(System.nanoTime());
        try (AsyncEcs client = new AsyncEcs(endpoint, options.region(), accessKeyId, secretAccessKey,
                options.concurrency())) {
            EcsAsyncClient ecs = client.ecs;
            ecs.createCluster(r -> r.clusterName(cluster)).join();
            ecs.registerTaskDefinition(r -> r.family("bench-scheduled").containerDefinitions(c -> c.name("app")
                    .image("busybox").cpu(16).memory(16).essential(true))).join();

            long fleetStart = System.nanoTime();
            AgentProfile profile = AgentProfile.standard().withRunDelay(Duration.ZERO)
                    .withZones(options.region() + "a", options.region() + "b", options.region() + "c");
            try (Fleet fleet = Fleet.start(endpoint, credentials, options.region(), cluster, options.instances(),
                    profile)) {
                double fleetStartSeconds = (System.nanoTime() - fleetStart) / 1e9;
                PlacementStrategy strategy = strategy(options);
                int warmedUp = options.warmupTasks() > 0 ? warmUp(options, ecs, cluster, strategy, fleet) : 0;
                if (options.services() > 0) {
                    return throughServices(options, ecs, cluster, fleet, fleetStartSeconds, warmedUp);
                }
                Latencies runTask = new Latencies();
                AtomicInteger placed = new AtomicInteger();
                AtomicInteger unplaced = new AtomicInteger();

                long placingStart = System.nanoTime();
                long cpuStart = Processes.ownCpuNanos();
                OptionalLong serverCpuStart = Processes.cpuNanos(options.serverPid());
                runTasks(options, ecs, cluster, strategy, options.tasks(), runTask, placed, unplaced);
                long lastRunTask = System.nanoTime();
                double placingCpuSeconds = (Processes.ownCpuNanos() - cpuStart) / 1e9;
                double serverCpuSeconds = cpuSecondsSince(options.serverPid(), serverCpuStart);
                double placingSeconds = (lastRunTask - placingStart) / 1e9;

                long deadline = lastRunTask + ALL_RUNNING_TIMEOUT.toNanos();
                while (fleet.runningTaskCount() < warmedUp + placed.get() && System.nanoTime() < deadline) {
                    Thread.sleep(pollMillis(placed.get()));
                }
                double allRunningSeconds = fleet.runningTaskCount() >= warmedUp + placed.get()
                        ? (System.nanoTime() - lastRunTask) / 1e9 : Double.NaN;
                return new Result(options.instances(), fleetStartSeconds, placed.get(), unplaced.get(), placingSeconds,
                        runTask.summary("RunTask", placingSeconds), allRunningSeconds, placingCpuSeconds, 0,
                        serverCpuSeconds);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The services variant: {@code services} services of {@code tasks / services} tasks each, created
     * {@code concurrency} at a time; the service scheduler places their tasks. Timed from the first
     * CreateService until the agents have reported every task RUNNING.
     */
    private static Result throughServices(Options options, EcsAsyncClient ecs, String cluster, Fleet fleet,
            double fleetStartSeconds, int warmedUp) throws InterruptedException {
        int each = options.tasks() / options.services();
        int wanted = each * options.services();
        PlacementStrategy strategy = strategy(options);
        Latencies createService = new Latencies();
        AtomicInteger created = new AtomicInteger();
        long start = System.nanoTime();
        long cpuStart = Processes.ownCpuNanos();
        OptionalLong serverCpuStart = Processes.cpuNanos(options.serverPid());
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int i = 0; i < options.concurrency(); i++) {
            lanes.add(serviceLane(ecs, cluster, strategy, options.services(), each, created, createService));
        }
        CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).join();
        long lastCreate = System.nanoTime();
        long deadline = lastCreate + ALL_RUNNING_TIMEOUT.toNanos();
        int running;
        long nextProgress = System.nanoTime();
        while ((running = fleet.runningTaskCount() - warmedUp) < wanted && System.nanoTime() < deadline) {
            if (options.progress() && System.nanoTime() >= nextProgress) {
                System.out.printf("  %.1f s: %d of %d tasks RUNNING%n", (System.nanoTime() - start) / 1e9, running, wanted);
                nextProgress += 1_000_000_000L;
            }
            Thread.sleep(pollMillis(wanted));
        }
        long end = System.nanoTime();
        double seconds = (end - start) / 1e9;
        double cpuSeconds = (Processes.ownCpuNanos() - cpuStart) / 1e9;
        return new Result(options.instances(), fleetStartSeconds, running, wanted - running, seconds,
                createService.summary("CreateService", seconds),
                running >= wanted ? (end - lastCreate) / 1e9 : Double.NaN, cpuSeconds, options.services(),
                cpuSecondsSince(options.serverPid(), serverCpuStart));
    }

    private static CompletableFuture<Void> serviceLane(EcsAsyncClient ecs, String cluster, PlacementStrategy strategy,
            int services, int each, AtomicInteger created, Latencies createService) {
        int index = created.getAndIncrement();
        if (index >= services) {
            return CompletableFuture.completedFuture(null);
        }
        long began = System.nanoTime();
        return ecs.createService(r -> r.cluster(cluster).serviceName("bench-" + index).taskDefinition("bench-scheduled")
                        .desiredCount(each).placementStrategy(strategy))
                .handle((response, failure) -> {
                    if (failure != null) {
                        createService.error();
                    } else {
                        createService.record(System.nanoTime() - began);
                    }
                    return null;
                })
                .thenComposeAsync(ignored -> serviceLane(ecs, cluster, strategy, services, each, created, createService));
    }

    /** Places the warm-up tasks by RunTask and waits until they are RUNNING; answers how many were placed. */
    private static int warmUp(Options options, EcsAsyncClient ecs, String cluster, PlacementStrategy strategy,
            Fleet fleet) throws InterruptedException {
        AtomicInteger placed = new AtomicInteger();
        runTasks(options, ecs, cluster, strategy, options.warmupTasks(), new Latencies(), placed, new AtomicInteger());
        long deadline = System.nanoTime() + ALL_RUNNING_TIMEOUT.toNanos();
        while (fleet.runningTaskCount() < placed.get() && System.nanoTime() < deadline) {
            Thread.sleep(pollMillis(placed.get()));
        }
        System.out.printf("warm-up                             %d tasks placed and RUNNING, not counted%n", placed.get());
        return placed.get();
    }

    private static PlacementStrategy strategy(Options options) {
        return "spread".equals(options.strategy())
                ? PlacementStrategy.builder().type(PlacementStrategyType.SPREAD).field("instanceId").build()
                : PlacementStrategy.builder().type(PlacementStrategyType.BINPACK).field("memory").build();
    }

    private static double cpuSecondsSince(long pid, OptionalLong start) {
        OptionalLong now = Processes.cpuNanos(pid);
        return start.isPresent() && now.isPresent() ? (now.getAsLong() - start.getAsLong()) / 1e9 : Double.NaN;
    }

    /** RunTask calls of {@link #PER_CALL} tasks, {@code concurrency} in flight, until {@code tasks} are asked for. */
    private static void runTasks(Options options, EcsAsyncClient ecs, String cluster, PlacementStrategy strategy,
            int tasks, Latencies runTask, AtomicInteger placed, AtomicInteger unplaced) {
        AtomicInteger calls = new AtomicInteger();
        int callsWanted = (tasks + PER_CALL - 1) / PER_CALL;
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int i = 0; i < options.concurrency(); i++) {
            lanes.add(lane(ecs, cluster, strategy, callsWanted, calls, runTask, placed, unplaced));
        }
        CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).join();
    }

    private static CompletableFuture<Void> lane(EcsAsyncClient ecs, String cluster, PlacementStrategy strategy,
            int callsWanted, AtomicInteger calls, Latencies runTask, AtomicInteger placed, AtomicInteger unplaced) {
        if (calls.getAndIncrement() >= callsWanted) {
            return CompletableFuture.completedFuture(null);
        }
        long began = System.nanoTime();
        return ecs.runTask(r -> r.cluster(cluster).taskDefinition("bench-scheduled").count(PER_CALL)
                        .placementStrategy(strategy))
                .handle((RunTaskResponse response, Throwable failure) -> {
                    if (failure != null) {
                        runTask.error();
                    } else {
                        runTask.record(System.nanoTime() - began);
                        placed.addAndGet(response.tasks().size());
                        unplaced.addAndGet(PER_CALL - response.tasks().size());
                    }
                    return null;
                })
                .thenComposeAsync(ignored -> lane(ecs, cluster, strategy, callsWanted, calls, runTask, placed, unplaced));
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Options options = new Options(
                args.get("endpoint", null),
                args.get("region", System.getenv().getOrDefault("AWS_DEFAULT_REGION", "us-east-1")),
                args.get("access-key", System.getenv().getOrDefault("AWS_ACCESS_KEY_ID", "bench")),
                args.get("secret-key", System.getenv().getOrDefault("AWS_SECRET_ACCESS_KEY", "bench")),
                args.getInt("instances", 200),
                args.getInt("tasks", 2000),
                args.getInt("concurrency", 8),
                args.get("strategy", "binpack"),
                args.getInt("services", 0),
                args.get("progress", null) != null,
                Long.parseLong(args.get("server-pid", "0")),
                args.getInt("warmup", 0));
        System.out.println("Scheduling benchmark: " + options.instances() + " simulated instances, " + options.tasks()
                + (options.services() == 0 ? " tasks by RunTask count " + PER_CALL
                        : " tasks by " + options.services() + " services")
                + ", " + options.concurrency() + " calls in flight, "
                + options.strategy() + (options.endpoint() == null ? ", server in this process" : ", " + options.endpoint()));
        Result result = run(options);
        System.out.print(result.text());
        String json = args.get("json", null);
        if (json != null) {
            Files.writeString(Path.of(json), result.json());
        }
        System.exit(0);
    }
}
