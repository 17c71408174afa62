package io.berth.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;

/**
 * Restart with a large store: for each size, a data directory filled by {@link StoreFiller}, then {@code berth server}
 * started on it in its own process, timed from process start until a ListClusters answers; its resident memory once
 * it answers, and its heap in use after a full collection (taken after the calls); the latency of DescribeTasks
 * (100 ARNs picked at random) and ListTasks (first page of the STOPPED tasks, and the default listing of the RUNNING
 * ones) over a few hundred sequential calls each, after a fifth as many uncounted ones. The first size is the
 * baseline the others are compared to.
 *
 * <p>{@code java -cp ... io.berth.bench.RestartBench --berth-jar berth.jar --work DIR [--sizes 10000,1000000
 * --calls 300 --java java --server-opts "-Xmx8g"]}
 */
public final class RestartBench {

    /** The figures of one store size; latencies in milliseconds. */
    public record Result(int tasks, double fillSeconds, long databaseBytes, double startSeconds, double residentMiB,
            double liveHeapMiB, Latencies.Summary describe, Latencies.Summary listStopped, Latencies.Summary listRunning) {

        String row() {
            return "%,11d %8.1f %9.0f %9.2f %9.0f %9.0f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f".formatted(tasks, fillSeconds,
                    databaseBytes / 1048576.0, startSeconds, residentMiB, liveHeapMiB, describe.p50Millis(), describe.p99Millis(),
                    listStopped.p50Millis(), listStopped.p99Millis(), listRunning.p50Millis(), listRunning.p99Millis());
        }

        static String header() {
            return "%11s %8s %9s %9s %9s %9s %9s %9s %9s %9s %9s %9s".formatted("tasks", "fill s", "db MiB", "start s",
                    "RSS MiB", "heap MiB", "Desc p50", "Desc p99", "LStop p50", "LStop p99", "LRun p50", "LRun p99");
        }
    }

    private RestartBench() {
    }

    public static Result measure(List<String> serverCommand, Path work, int tasks, int calls) throws Exception {
        Path dataDir = work.resolve("data-" + tasks);
        double fillSeconds = StoreFiller.fill(dataDir, tasks, StoreFiller.DEFAULT_ACCOUNT);
        long databaseBytes = 0;
        try (var files = Files.list(dataDir)) {
            for (Path file : files.toList()) {
                databaseBytes += Files.size(file);
            }
        }
        int port = freePort();
        String endpoint = "http://127.0.0.1:" + port;
        List<String> command = new ArrayList<>(serverCommand);
        command.addAll(List.of("server", "--dev", "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--account-id", StoreFiller.DEFAULT_ACCOUNT, "--data-dir", dataDir.toString()));
        // Classes loaded and signer ready before the clock starts, on a client of its own: a client whose first
        // calls were refused does not recover quickly, so the measuring one only calls once the port is open.
        try (AsyncEcs warmUp = new AsyncEcs(endpoint, "us-east-1", "bench", "bench", 1)) {
            answers(warmUp.ecs);
        }
        try (AsyncEcs client = new AsyncEcs(endpoint, "us-east-1", "bench", "bench", 2)) {
            EcsAsyncClient ecs = client.ecs;
            long began = System.nanoTime();
            Process server = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(work.resolve("server-" + tasks + ".log").toFile()).start();
            try {
                while (!listening(port) || !answers(ecs)) {
                    if (!server.isAlive()) {
                        throw new IllegalStateException("The server exited; see " + work.resolve("server-" + tasks
                                + ".log"));
                    }
                    Thread.sleep(10);
                }
                double startSeconds = (System.nanoTime() - began) / 1e9;
                double resident = SessionsBench.residentMiB(server.pid());
                var describe = describeTasks(ecs, tasks, calls);
                var listStopped = listTasks(ecs, DesiredStatus.STOPPED, calls);
                var listRunning = listTasks(ecs, null, calls);
                return new Result(tasks, fillSeconds, databaseBytes, startSeconds, resident,
                        liveHeapMiB(serverCommand.getFirst(), server.pid()), describe, listStopped, listRunning);
            } finally {
                server.destroy();
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
        }
    }

    /**
     * The server's heap in use after a full collection ({@code jcmd GC.run}, then {@code GC.heap_info}): what its
     * state really takes, where resident memory also counts garbage not collected yet. NaN without jcmd.
     */
    static double liveHeapMiB(String javaCommand, long pid) {
        Path jcmd = Path.of(javaCommand).resolveSibling("jcmd");
        try {
            run(List.of(jcmd.toString(), String.valueOf(pid), "GC.run"));
            String info = run(List.of(jcmd.toString(), String.valueOf(pid), "GC.heap_info"));
            var used = Pattern.compile("used (\\d+)K").matcher(info);
            return used.find() ? Long.parseLong(used.group(1)) / 1024.0 : Double.NaN;
        } catch (IOException | InterruptedException | IllegalStateException e) {
            return Double.NaN;
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + output);
        }
        return output;
    }

    private static boolean listening(int port) {
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean answers(EcsAsyncClient ecs) {
        try {
            ecs.listClusters(r -> { }).join();
            return true;
        } catch (CompletionException e) {
            return false;
        }
    }

    private static Latencies.Summary describeTasks(EcsAsyncClient ecs, int tasks, int calls) {
        Random random = new Random(42);
        Latencies latencies = new Latencies();
        for (int call = -warmUp(calls); call < calls; call++) {
            List<String> ids = new ArrayList<>(100);
            for (int i = 0; i < 100; i++) {
                ids.add(StoreFiller.taskId(random.nextInt(tasks)));
            }
            long began = System.nanoTime();
            int found = ecs.describeTasks(r -> r.cluster(StoreFiller.CLUSTER).tasks(ids)).join().tasks().size();
            if (call >= 0) {
                latencies.record(System.nanoTime() - began);
            }
            if (found != 100) {
                throw new IllegalStateException("DescribeTasks found " + found + " of 100 tasks");
            }
        }
        return latencies.summary("DescribeTasks (100)", 0);
    }

    private static Latencies.Summary listTasks(EcsAsyncClient ecs, DesiredStatus status, int calls) {
        Latencies latencies = new Latencies();
        for (int call = -warmUp(calls); call < calls; call++) {
            long began = System.nanoTime();
            int listed = ecs.listTasks(r -> r.cluster(StoreFiller.CLUSTER).desiredStatus(status)).join()
                    .taskArns().size();
            if (call >= 0) {
                latencies.record(System.nanoTime() - began);
            }
            if (listed == 0) {
                throw new IllegalStateException("ListTasks listed nothing");
            }
        }
        return latencies.summary(status == null ? "ListTasks (RUNNING)" : "ListTasks (STOPPED)", 0);
    }

    /** Calls made before the measured ones and not counted, so that both sides have compiled their code. */
    private static int warmUp(int calls) {
        return Math.max(calls / 5, 10);
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        List<String> serverCommand = new ArrayList<>();
        serverCommand.add(a.get("java", Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : a.get("server-opts", "").split(" ")) {
            if (!option.isBlank()) {
                serverCommand.add(option);
            }
        }
        serverCommand.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-jar",
                new File(a.get("berth-jar", "berth-server/target/berth.jar")).getAbsolutePath()));
        Path work = Path.of(a.get("work", Files.createTempDirectory("berth-restart").toString()));
        int calls = a.getInt("calls", 300);
        // One small start first, not counted, so that the baseline does not pay for a cold jar and file cache.
        measure(serverCommand, work, 1_000, 10);
        List<Result> results = new ArrayList<>();
        System.out.println(Result.header());
        for (String size : a.get("sizes", "10000,1000000").split(",")) {
            Result result = measure(serverCommand, work, Integer.parseInt(size.trim()), calls);
            results.add(result);
            System.out.println(result.row());
        }
        Result base = results.getFirst();
        for (Result result : results.subList(1, results.size())) {
            System.out.printf("%,d tasks over %,d: start %.2fx, RSS %.2fx, heap %.2fx, DescribeTasks p50 %.2fx p99 %.2fx, "
                    + "ListTasks STOPPED p50 %.2fx p99 %.2fx, ListTasks RUNNING p50 %.2fx p99 %.2fx%n",
                    result.tasks(), base.tasks(), result.startSeconds() / base.startSeconds(),
                    result.residentMiB() / base.residentMiB(), result.liveHeapMiB() / base.liveHeapMiB(),
                    result.describe().p50Millis() / base.describe().p50Millis(),
                    result.describe().p99Millis() / base.describe().p99Millis(),
                    result.listStopped().p50Millis() / base.listStopped().p50Millis(),
                    result.listStopped().p99Millis() / base.listStopped().p99Millis(),
                    result.listRunning().p50Millis() / base.listRunning().p50Millis(),
                    result.listRunning().p99Millis() / base.listRunning().p99Millis());
        }
        System.exit(0);
    }
}
