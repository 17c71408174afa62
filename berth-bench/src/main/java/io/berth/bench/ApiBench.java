package io.berth.bench;

import io.berth.agent.tls.ServerTrust;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * API throughput and latency of any ECS endpoint: after a setup phase (a cluster, a task definition,
 * one large container instance and 100 tasks), a fixed number of calls stay in flight on the SDK's
 * async client, cycling through a mix of DescribeClusters, RegisterTaskDefinition,
 * DescribeTaskDefinition, RunTask, DescribeTasks of 100 tasks and ListTasks, all SigV4-signed. Only
 * standard ECS calls are made, so the same run works against AWS, Berth or moto.
 *
 * <p>{@code java -cp ... io.berth.bench.ApiBench --endpoint http://127.0.0.1:8773 [--access-key K
 * --secret-key S --region us-east-1 --seconds 10 --warmup 2 --concurrency 16 --cluster bench-api
 * --instance-ids i-1,i-2 --ca-bundle berth-data/ca.pem --operations DescribeClusters,RunTask --json out.json]}
 */
public final class ApiBench implements AutoCloseable {

    static final String FAMILY = "bench-api";
    private static final int DESCRIBED_TASKS = 100;

    /**
     * How to reach the endpoint and how hard to drive it; {@code caBundle} is a CA certificate to trust an HTTPS
     * endpoint through besides the JVM's trust store (such as a Berth server's {@code ca.pem}), or null.
     */
    public record Options(String endpoint, String region, String accessKeyId, String secretAccessKey, String cluster,
            List<String> instanceIds, int concurrency, Duration warmup, Duration measured, Path caBundle) {

        /** Options trusting the endpoint through the JVM's trust store alone. */
        public Options(String endpoint, String region, String accessKeyId, String secretAccessKey, String cluster,
                List<String> instanceIds, int concurrency, Duration warmup, Duration measured) {
            this(endpoint, region, accessKeyId, secretAccessKey, cluster, instanceIds, concurrency, warmup, measured,
                    null);
        }

        ServerTrust trust() {
            return caBundle == null ? ServerTrust.jvmDefault() : ServerTrust.withCaBundle(caBundle);
        }
    }

    /** The figures of one measured run. */
    public record Result(double seconds, List<Latencies.Summary> operations) {

        public double totalPerSecond() {
            return operations.stream().mapToDouble(Latencies.Summary::perSecond).sum();
        }

        public String table() {
            StringBuilder out = new StringBuilder(Latencies.Summary.header()).append('\n');
            operations.forEach(o -> out.append(o.row()).append('\n'));
            out.append("%-24s %8d %7d %10.1f%n".formatted("total", operations.stream().mapToInt(Latencies.Summary::calls)
                    .sum(), operations.stream().mapToInt(Latencies.Summary::errors).sum(), totalPerSecond()));
            return out.toString();
        }

        public String json() {
            return "{\"seconds\":%.2f,\"totalPerSecond\":%.1f,\"operations\":[%s]}".formatted(seconds, totalPerSecond(),
                    operations.stream().map(Latencies.Summary::json).collect(Collectors.joining(",")));
        }
    }

    private final Options options;
    private final AsyncEcs client;
    private final EcsAsyncClient ecs;
    private List<String> describedTasks = List.of();

    private ApiBench(Options options) {
        this.options = options;
        this.client = new AsyncEcs(options.endpoint(), options.region(), options.accessKeyId(),
                options.secretAccessKey(), options.concurrency(), options.trust());
        this.ecs = client.ecs;
    }

    public static Result run(Options options) {
        return run(options, CYCLE);
    }

    /** As {@link #run(Options)}, cycling through the operations named (among the mix's) only. */
    public static Result run(Options options, List<String> cycle) {
        try (ApiBench bench = prepared(options)) {
            bench.drive(options.warmup(), cycle);
            return bench.drive(options.measured(), cycle);
        }
    }

    /** A benchmark whose resources are set up with the options' key, ready to {@link #drive} as often as wanted. */
    static ApiBench prepared(Options options) {
        ApiBench bench = new ApiBench(options);
        try {
            bench.setUp();
            return bench;
        } catch (RuntimeException e) {
            bench.close();
            throw e;
        }
    }

    /** The same mix on the same resources, signed with another key: a different principal under the same load. */
    ApiBench signedWith(String accessKeyId, String secretAccessKey) {
        return sharing(new Options(options.endpoint(), options.region(), accessKeyId, secretAccessKey,
                options.cluster(), options.instanceIds(), options.concurrency(), options.warmup(), options.measured(),
                options.caBundle()));
    }

    /** The same mix on the same resources, sent to another endpoint of the same service (another node of it). */
    ApiBench through(String endpoint) {
        return sharing(new Options(endpoint, options.region(), options.accessKeyId(), options.secretAccessKey(),
                options.cluster(), options.instanceIds(), options.concurrency(), options.warmup(), options.measured(),
                options.caBundle()));
    }

    private ApiBench sharing(Options other) {
        ApiBench bench = new ApiBench(other);
        bench.describedTasks = describedTasks;
        return bench;
    }

    @Override
    public void close() {
        client.close();
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Options options = new Options(
                args.get("endpoint", "http://127.0.0.1:8773"),
                args.get("region", System.getenv().getOrDefault("AWS_DEFAULT_REGION", "us-east-1")),
                args.get("access-key", System.getenv().getOrDefault("AWS_ACCESS_KEY_ID", "bench")),
                args.get("secret-key", System.getenv().getOrDefault("AWS_SECRET_ACCESS_KEY", "bench")),
                args.get("cluster", "bench-api"),
                instanceIds(args.get("instance-ids", null)),
                args.getInt("concurrency", 16),
                Duration.ofMillis((long) (args.getDouble("warmup", 2) * 1000)),
                Duration.ofMillis((long) (args.getDouble("seconds", 10) * 1000)),
                args.get("ca-bundle", null) == null ? null : Path.of(args.get("ca-bundle", null)));
        System.out.println("API benchmark of " + options.endpoint() + ": " + options.concurrency()
                + " calls in flight, " + options.measured().toSeconds() + " s after " + options.warmup().toSeconds()
                + " s of warm-up");
        String operations = args.get("operations", null);
        Result result = operations == null ? run(options) : run(options, List.of(operations.split(",")));
        System.out.print(result.table());
        String json = args.get("json", null);
        if (json != null) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(json), result.json());
        }
    }

    /** The EC2 instances to register, or four made-up ones for endpoints that do not check them. */
    private static List<String> instanceIds(String given) {
        if (given != null) {
            return List.of(given.split(","));
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add("i-0" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16));
        }
        return ids;
    }

    // ---- setup ----

    private void setUp() {
        ecs.createCluster(r -> r.clusterName(options.cluster())).join();
        registerTaskDefinition().join();
        // Nothing runs the tasks, so they stay placed: the instances must hold every task the run starts.
        for (String instanceId : options.instanceIds()) {
            registerInstance(instanceId).join();
        }
        List<String> tasks = new ArrayList<>();
        while (tasks.size() < DESCRIBED_TASKS) {
            RunTaskResponse started = ecs.runTask(r -> r.cluster(options.cluster()).taskDefinition(FAMILY).count(10))
                    .join();
            if (!started.hasTasks() || started.tasks().isEmpty()) {
                throw new IllegalStateException("RunTask placed nothing during setup: " + started.failures());
            }
            started.tasks().stream().map(Task::taskArn).forEach(tasks::add);
        }
        describedTasks = List.copyOf(tasks.subList(0, DESCRIBED_TASKS));
    }

    /**
     * Registers an instance with an identity document naming the given EC2 instance (endpoints that check EC2,
     * such as moto's, need it to exist) and room for a hundred thousand of the benchmark's tasks.
     */
    private CompletableFuture<?> registerInstance(String instanceId) {
        String identity = """
                {"accountId":"000000000000","architecture":"x86_64","availabilityZone":"%sa","imageId":"ami-0bench",\
                "instanceId":"%s","instanceType":"m5.24xlarge","privateIp":"10.0.0.1","region":"%s"}"""
                .formatted(options.region(), instanceId, options.region());
        return ecs.registerContainerInstance(r -> r.cluster(options.cluster())
                .instanceIdentityDocument(identity)
                .instanceIdentityDocumentSignature("")
                .totalResources(
                        Resource.builder().name("CPU").type("INTEGER").integerValue(100_000).build(),
                        Resource.builder().name("MEMORY").type("INTEGER").integerValue(600_000).build())
                .attributes(Attribute.builder().name("ecs.os-type").value("linux").build()));
    }

    private CompletableFuture<?> registerTaskDefinition() {
        return ecs.registerTaskDefinition(RegisterTaskDefinitionRequest.builder()
                .family(FAMILY)
                .containerDefinitions(ContainerDefinition.builder()
                        .name("app").image("busybox").cpu(1).memory(6).essential(true)
                        .command("sleep", "3600")
                        .build())
                .build());
    }

    // ---- the load ----

    /** The mix, in the order calls cycle through it: reads twice as often as writes. */
    private Map<String, Supplier<CompletableFuture<?>>> mix() {
        Map<String, Supplier<CompletableFuture<?>>> mix = new LinkedHashMap<>();
        mix.put("DescribeClusters", () -> ecs.describeClusters(r -> r.clusters(options.cluster())));
        mix.put("RegisterTaskDefinition", this::registerTaskDefinition);
        mix.put("DescribeTaskDefinition", () -> ecs.describeTaskDefinition(r -> r.taskDefinition(FAMILY)));
        mix.put("RunTask", () -> ecs.runTask(r -> r.cluster(options.cluster()).taskDefinition(FAMILY))
                .thenApply(response -> {
                    if (!response.hasTasks() || response.tasks().isEmpty()) {
                        throw new IllegalStateException("RunTask placed nothing: " + response.failures());
                    }
                    return response;
                }));
        mix.put("DescribeTasks", () -> ecs.describeTasks(r -> r.cluster(options.cluster()).tasks(describedTasks)));
        mix.put("ListTasks", () -> ecs.listTasks(r -> r.cluster(options.cluster())));
        return mix;
    }

    private static final List<String> CYCLE = List.of(
            "DescribeClusters", "DescribeTasks", "ListTasks", "DescribeTaskDefinition", "RunTask",
            "DescribeClusters", "DescribeTasks", "ListTasks", "DescribeTaskDefinition", "RegisterTaskDefinition");

    /** Keeps the options' number of calls in flight for the given time. */
    Result drive(Duration length) {
        return drive(length, CYCLE);
    }

    /**
     * Keeps the options' number of calls in flight for the given time, cycling through the operations named (among
     * the mix's); the result has a row for each of those only.
     */
    Result drive(Duration length, List<String> cycle) {
        Map<String, Supplier<CompletableFuture<?>>> mix = mix();
        if (cycle.isEmpty() || !mix.keySet().containsAll(cycle)) {
            throw new IllegalArgumentException("Operations " + cycle + " are not a part of the mix " + mix.keySet());
        }
        mix.keySet().retainAll(cycle);
        Map<String, Latencies> latencies = new LinkedHashMap<>();
        mix.keySet().forEach(name -> latencies.put(name, new Latencies()));
        AtomicLong turn = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + length.toNanos();
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int i = 0; i < options.concurrency(); i++) {
            lanes.add(lane(mix, cycle, latencies, turn, deadline));
        }
        CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(seconds, latencies.entrySet().stream()
                .map(e -> e.getValue().summary(e.getKey(), seconds)).toList());
    }

    /** One call in flight at a time until the deadline, each call starting when the previous one ends. */
    private CompletableFuture<Void> lane(Map<String, Supplier<CompletableFuture<?>>> mix, List<String> cycle,
            Map<String, Latencies> latencies, AtomicLong turn, long deadline) {
        if (System.nanoTime() >= deadline) {
            return CompletableFuture.completedFuture(null);
        }
        String operation = cycle.get((int) (turn.getAndIncrement() % cycle.size()));
        long began = System.nanoTime();
        CompletableFuture<?> call;
        try {
            call = mix.get(operation).get();
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.handle((ok, failure) -> {
            if (failure == null) {
                latencies.get(operation).record(System.nanoTime() - began);
            } else {
                latencies.get(operation).error();
            }
            return null;
        }).thenComposeAsync(ignored -> lane(mix, cycle, latencies, turn, deadline));
    }
}
