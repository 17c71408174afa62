package io.berth.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
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
 * <p>{@code java -cp ... io.berth.bench.DockerRunBench --endpoint URL [--runs 20 --cluster default
 * --image berth-test/busybox:latest --access-key K --secret-key S --region us-east-1]}
 */
public final class DockerRunBench {

    /** The command both sides run: a shell that sleeps and exits at once on SIGTERM, so stops are quick. */
    static final List<String> COMMAND = List.of("/bin/busybox", "sh", "-c",
            "trap 'exit 0' TERM; /bin/busybox sleep 3600 & wait");

    private static final Duration POLL = Duration.ofMillis(5);
    private static final Duration RUN_LIMIT = Duration.ofSeconds(60);

    /** What to run. */
    public record Options(String endpoint, String region, String accessKeyId, String secretAccessKey, String cluster,
            String image, int runs) {
    }

    /** Per-run figures in milliseconds, in run order. */
    public record Result(double[] berthServerMillis, double[] berthClientMillis, double[] dockerMillis) {

        public double overheadMillis() {
            return percentile(berthServerMillis, 50) - percentile(dockerMillis, 50);
        }

        public String text() {
            StringBuilder out = new StringBuilder();
            out.append("%-5s %28s %28s %18s%n".formatted("run", "Berth startedAt-createdAt ms",
                    "Berth RunTask->RUNNING ms", "docker run -d ms"));
            for (int i = 0; i < dockerMillis.length; i++) {
                out.append("%-5d %28.1f %28.1f %18.1f%n".formatted(i + 1, berthServerMillis[i], berthClientMillis[i],
                        dockerMillis[i]));
            }
            out.append("%-5s %28.1f %28.1f %18.1f%n".formatted("p50", percentile(berthServerMillis, 50),
                    percentile(berthClientMillis, 50), percentile(dockerMillis, 50)));
            out.append("%-5s %28.1f %28.1f %18.1f%n".formatted("p90", percentile(berthServerMillis, 90),
                    percentile(berthClientMillis, 90), percentile(dockerMillis, 90)));
            out.append("ratio Berth / docker run (p50)   server-side %.2fx, client-side %.2fx%n".formatted(
                    percentile(berthServerMillis, 50) / percentile(dockerMillis, 50),
                    percentile(berthClientMillis, 50) / percentile(dockerMillis, 50)));
            out.append("Berth overhead per task (p50)    server-side %.1f ms, client-side %.1f ms (target < 150 ms)%n"
                    .formatted(overheadMillis(), percentile(berthClientMillis, 50) - percentile(dockerMillis, 50)));
            return out.toString();
        }
    }

    private DockerRunBench() {
    }

    public static Result run(Options options) throws InterruptedException, IOException {
        try (AsyncEcs client = new AsyncEcs(options.endpoint(), options.region(), options.accessKeyId(),
                options.secretAccessKey(), 4)) {
            EcsAsyncClient ecs = client.ecs;
            awaitInstance(ecs, options.cluster());
            String family = "bench-docker-" + Long.toHexString(System.nanoTime());
            String definition = ecs.registerTaskDefinition(r -> r.family(family).containerDefinitions(
                    ContainerDefinition.builder().name("sleeper").image(options.image()).command(COMMAND)
                            .memory(32).essential(true).stopTimeout(2).build()))
                    .join().taskDefinition().taskDefinitionArn();
            // One of each first, not counted: the first container start of a run pays for cold caches.
            berthRun(ecs, options.cluster(), definition);
            dockerRun(options.image());
            double[] server = new double[options.runs()];
            double[] wall = new double[options.runs()];
            double[] docker = new double[options.runs()];
            for (int i = 0; i < options.runs(); i++) {
                double[] berth = berthRun(ecs, options.cluster(), definition);
                server[i] = berth[0];
                wall[i] = berth[1];
                docker[i] = dockerRun(options.image());
            }
            removeStoppedContainers(family);
            return new Result(server, wall, docker);
        }
    }

    /** The agent keeps its stopped containers for a while, as ECS agents do; the benchmark leaves none behind. */
    private static void removeStoppedContainers(String family) throws IOException, InterruptedException {
        String ids = docker(List.of("docker", "ps", "-aq", "--filter",
                "label=com.amazonaws.ecs.task-definition-family=" + family));
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
    private static double[] berthRun(EcsAsyncClient ecs, String cluster, String definition)
            throws InterruptedException {
        long began = System.nanoTime();
        var response = ecs.runTask(r -> r.cluster(cluster).taskDefinition(definition)).join();
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
                a.get("image", "berth-test/busybox:latest"), a.getInt("runs", 20));
        System.out.print(run(options).text());
        System.exit(0);
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
