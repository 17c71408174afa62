package io.berth.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Time to RUNNING on a real Docker Engine: RunTask of a one-container task on a server whose agent drives this
 * host's Docker Engine ({@code berth all-in-one}), against a plain {@code docker run -d} of the same image and
 * command. The two alternate, run after run, so that both see the same load on the machine; every run is cleaned
 * up (StopTask until STOPPED, {@code docker rm -f}) before the next one starts.
 *
 * <p>For each task two figures: the server's own ({@code startedAt - createdAt}: from accepting RunTask to accepting
 * the agent's RUNNING report) and the client's (from sending RunTask until DescribeTasks, polled every few
 * milliseconds, answers RUNNING). For {@code docker run -d}, the time until the command returns, which Docker
 * does once the container has started.
 *
 * <p>With {@code --awsvpc true}, each run also starts the same task in the awsvpc network mode (its own network
 * namespace behind a pause container), to compare the two modes under the same load.
 *
 * <p>{@code java -cp ... io.berth.bench.DockerRunBench --endpoint URL [--runs 20 --cluster default
 * --image berth-test/busybox:latest --access-key K --secret-key S --region us-east-1 --awsvpc true]}
 */
public final class DockerRunBench {

    /** The command both sides run: a shell that sleeps and exits at once on SIGTERM, so stops are quick. */
    static final List<String> COMMAND = List.of("/bin/busybox", "sh", "-c",
            "trap 'exit 0' TERM; /bin/busybox sleep 3600 & wait");

    private static final Duration POLL = Duration.ofMillis(5);
    private static final Duration RUN_LIMIT = Duration.ofSeconds(60);

    /** What to run; with {@code awsvpc}, every run also starts the same task in the awsvpc network mode. */
    public record Options(String endpoint, String region, String accessKeyId, String secretAccessKey, String cluster,
            String image, int runs, boolean awsvpc) {
    }

    /** Per-run figures in milliseconds, in run order: Berth's for each network mode, and {@code docker run}'s. */
    public record Result(Map<String, double[]> berthServerMillis, Map<String, double[]> berthClientMillis,
            double[] dockerMillis) {

        public double overheadMillis() {
            return percentile(berthServerMillis.get(BRIDGE), 50) - percentile(dockerMillis, 50);
        }

        public String text() {
            StringBuilder out = new StringBuilder();
            out.append("%-5s".formatted("run"));
            berthServerMillis.keySet().forEach(mode -> out.append(" %30s %30s".formatted(
                    mode + " startedAt-createdAt ms", mode + " RunTask->RUNNING ms")));
            out.append(" %18s%n".formatted("docker run -d ms"));
            for (int i = 0; i < dockerMillis.length; i++) {
                int run = i;
                out.append("%-5d".formatted(i + 1));
                berthServerMillis.keySet().forEach(mode -> out.append(" %30.1f %30.1f".formatted(
                        berthServerMillis.get(mode)[run], berthClientMillis.get(mode)[run])));
                out.append(" %18.1f%n".formatted(dockerMillis[i]));
            }
            for (int percent : new int[] {50, 90}) {
                out.append("%-5s".formatted("p" + percent));
                berthServerMillis.keySet().forEach(mode -> out.append(" %30.1f %30.1f".formatted(
                        percentile(berthServerMillis.get(mode), percent),
                        percentile(berthClientMillis.get(mode), percent))));
                out.append(" %18.1f%n".formatted(percentile(dockerMillis, percent)));
            }
            double docker = percentile(dockerMillis, 50);
            for (String mode : berthServerMillis.keySet()) {
                double server = percentile(berthServerMillis.get(mode), 50);
                double client = percentile(berthClientMillis.get(mode), 50);
                out.append("ratio Berth %s / docker run (p50)   server-side %.2fx, client-side %.2fx%n".formatted(
                        mode, server / docker, client / docker));
                out.append("Berth %s overhead per task (p50)    server-side %.1f ms, client-side %.1f ms%n".formatted(
                        mode, server - docker, client - docker));
            }
            if (berthServerMillis.containsKey(AWSVPC)) {
                out.append("ratio awsvpc / bridge (p50)          server-side %.2fx, client-side %.2fx (target <= 1.5x)%n"
                        .formatted(percentile(berthServerMillis.get(AWSVPC), 50)
                                        / percentile(berthServerMillis.get(BRIDGE), 50),
                                percentile(berthClientMillis.get(AWSVPC), 50)
                                        / percentile(berthClientMillis.get(BRIDGE), 50)));
            }
            return out.toString();
        }
    }

    private static final String BRIDGE = "bridge";
    private static final String AWSVPC = "awsvpc";

    private DockerRunBench() {
    }

    public static Result run(Options options) throws InterruptedException, IOException {
        try (AsyncEcs client = new AsyncEcs(options.endpoint(), options.region(), options.accessKeyId(),
                options.secretAccessKey(), 4)) {
            EcsAsyncClient ecs = client.ecs;
            awaitInstance(ecs, options.cluster());
            String family = "bench-docker-" + Long.toHexString(System.nanoTime());
            Map<String, Launch> launches = new LinkedHashMap<>();
            launches.put(BRIDGE, new Launch(register(ecs, family, options.image(), NetworkMode.BRIDGE), null));
            if (options.awsvpc()) {
                launches.put(AWSVPC, new Launch(register(ecs, family + "-awsvpc", options.image(), NetworkMode.AWSVPC),
                        NetworkConfiguration.builder().awsvpcConfiguration(v -> v.subnets(BENCH_SUBNET)
                                .assignPublicIp(AssignPublicIp.DISABLED)).build()));
            }
            // One of each first, not counted: the first container start of a run pays for cold caches.
            for (Launch launch : launches.values()) {
                berthRun(ecs, options.cluster(), launch);
            }
            dockerRun(options.image());
            Map<String, double[]> server = new LinkedHashMap<>();
            Map<String, double[]> wall = new LinkedHashMap<>();
            launches.keySet().forEach(mode -> {
                server.put(mode, new double[options.runs()]);
                wall.put(mode, new double[options.runs()]);
            });
            double[] docker = new double[options.runs()];
            for (int i = 0; i < options.runs(); i++) {
                for (Map.Entry<String, Launch> launch : launches.entrySet()) {
                    double[] berth = berthRun(ecs, options.cluster(), launch.getValue());
                    server.get(launch.getKey())[i] = berth[0];
                    wall.get(launch.getKey())[i] = berth[1];
                }
                docker[i] = dockerRun(options.image());
            }
            removeStoppedContainers(family);
            return new Result(server, wall, docker);
        }
    }

    /** A task definition and, for awsvpc, the network configuration its RunTask carries. */
    private record Launch(String definition, NetworkConfiguration network) {
    }

    private static final String BENCH_SUBNET = "subnet-0bec4b00";

    private static String register(EcsAsyncClient ecs, String family, String image, NetworkMode mode) {
        return ecs.registerTaskDefinition(r -> r.family(family).networkMode(mode).containerDefinitions(
                        ContainerDefinition.builder().name("sleeper").image(image).command(COMMAND)
                                .memory(32).essential(true).stopTimeout(2).build()))
                .join().taskDefinition().taskDefinitionArn();
    }

    /** The agent keeps its stopped containers for a while, as ECS agents do; the benchmark leaves none behind. */
    private static void removeStoppedContainers(String family) throws IOException, InterruptedException {
        String ids = docker(List.of("docker", "ps", "-aq", "--filter",
                "label=com.amazonaws.ecs.task-definition-family=" + family,
                "--filter", "label=com.amazonaws.ecs.task-definition-family=" + family + "-awsvpc"));
        List<String> remove = new ArrayList<>(List.of("docker", "rm", "-f"));
        remove.addAll(Arrays.stream(ids.split("\\s+")).filter(id -> !id.isBlank()).toList());
        if (remove.size() > 3) {
            docker(remove);
        }
    }

    private static void awaitInstance(EcsAsyncClient ecs, String cluster) throws InterruptedException {
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> instances = ecs.listContainerInstances(r -> r.cluster(cluster)).join().containerInstanceArns();
            if (!instances.isEmpty() && ecs.describeContainerInstances(r -> r.cluster(cluster)
                    .containerInstances(instances)).join().containerInstances().stream()
                    .anyMatch(i -> Boolean.TRUE.equals(i.agentConnected()))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("No connected container instance in cluster " + cluster);
    }

    /** One task to RUNNING and back to STOPPED; answers its server-side and client-side milliseconds to RUNNING. */
    private static double[] berthRun(EcsAsyncClient ecs, String cluster, Launch launch)
            throws InterruptedException {
        long began = System.nanoTime();
        var response = ecs.runTask(r -> r.cluster(cluster).taskDefinition(launch.definition())
                .networkConfiguration(launch.network())).join();
        if (response.tasks().isEmpty()) {
            throw new IllegalStateException("RunTask placed nothing: " + response.failures());
        }
        String arn = response.tasks().getFirst().taskArn();
        Task task = awaitStatus(ecs, cluster, arn, "RUNNING");
        double wallMillis = (System.nanoTime() - began) / 1e6;
        double serverMillis = Duration.between(task.createdAt(), task.startedAt()).toNanos() / 1e6;
        ecs.stopTask(r -> r.cluster(cluster).task(arn).reason("benchmark run done")).join();
        awaitStatus(ecs, cluster, arn, "STOPPED");
        return new double[] {serverMillis, wallMillis};
    }

    private static Task awaitStatus(EcsAsyncClient ecs, String cluster, String arn, String status)
            throws InterruptedException {
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            Task task = ecs.describeTasks(r -> r.cluster(cluster).tasks(arn)).join().tasks().getFirst();
            if (status.equals(task.lastStatus())) {
                return task;
            }
            if ("STOPPED".equals(task.lastStatus())) {
                throw new IllegalStateException("Task stopped before " + status + ": " + task.stoppedReason()
                        + " " + task.containers());
            }
            Thread.sleep(POLL);
        }
        throw new IllegalStateException("Task " + arn + " not " + status + " within " + RUN_LIMIT);
    }

    /** One {@code docker run -d} and its removal; answers the milliseconds {@code docker run -d} took. */
    private static double dockerRun(String image) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker", "run", "-d", "--memory", "32m", image));
        command.addAll(COMMAND);
        long began = System.nanoTime();
        String output = docker(command);
        double millis = (System.nanoTime() - began) / 1e6;
        // Warnings (such as a kernel without swap limits) come before the container id, which is the last line.
        docker(List.of("docker", "rm", "-f", output.substring(output.lastIndexOf('\n') + 1)));
        return millis;
    }

    private static String docker(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes()).trim();
        if (!process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    static double percentile(double[] values, int percent) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, rank)];
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        Options options = new Options(a.get("endpoint", "http://127.0.0.1:8773"), a.get("region", "us-east-1"),
                a.get("access-key", envOr("AWS_ACCESS_KEY_ID", "bench")),
                a.get("secret-key", envOr("AWS_SECRET_ACCESS_KEY", "bench")), a.get("cluster", "default"),
                a.get("image", "berth-test/busybox:latest"), a.getInt("runs", 20),
                Boolean.parseBoolean(a.get("awsvpc", "false")));
        System.out.print(run(options).text());
        System.exit(0);
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
