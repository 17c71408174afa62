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
 * <p>With {@code --compare-jar}, another build of the server (say, the one before a change) is started on the very
 * same stores just before this one, and the figures of both are printed side by side with their ratios.
 *
 * <p>{@code java -cp ... io.berth.bench.RestartBench --berth-jar berth.jar --work DIR [--sizes 10000,1000000
 * --calls 300 --java java --server-opts "-Xmx8g" --compare-jar old/berth.jar --compare-name before]}
 */
public final class RestartBench {

    /** The figures of one store size; latencies in milliseconds. */
    public record Result(String server, int tasks, double fillSeconds, long databaseBytes, double startSeconds,
            double decodedSeconds, double residentMiB, double liveHeapMiB, Latencies.Summary describe,
            Latencies.Summary listStopped, Latencies.Summary listRunning) {

        String row() {
            return "%-8s %,11d %8.1f %9.0f %9.2f %9.2f %9.0f %9.0f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f".formatted(server,
                    tasks, fillSeconds, databaseBytes / 1048576.0, startSeconds, decodedSeconds, residentMiB, liveHeapMiB,
                    describe.p50Millis(), describe.p99Millis(), listStopped.p50Millis(), listStopped.p99Millis(),
                    listRunning.p50Millis(), listRunning.p99Millis());
        }

        static String header() {
            return "%-8s %11s %8s %9s %9s %9s %9s %9s %9s %9s %9s %9s %9s %9s".formatted("server", "tasks", "fill s",
                    "db MiB", "start s", "decoded s", "RSS MiB", "heap MiB", "Desc p50", "Desc p99", "LStop p50",
                    "LStop p99", "LRun p50", "LRun p99");
        }
    }

    /**
     * A server build to start: a name for the rows, its command up to the {@code server} argument, and the options
     * after it that make it serve plain HTTP as the benchmarks' clients speak ({@code --http}; none for builds from
     * before TLS, which serve nothing else).
     */
    public record Server(String name, List<String> command, List<String> plainHttp) {

        /** A build of this version, which serves HTTPS unless told {@code --http}. */
        public Server(String name, List<String> command) {
            this(name, command, List.of("--http"));
        }
    }

    // The server's log line once it has decoded every stored document (servers that decode before answering have none).
    private static final int DECODING_WAIT_SECONDS = 600;
    private static final Pattern DECODED = Pattern.compile("Decoded \\d+ stored documents");

    private RestartBench() {
    }

    /** Fills a data directory with {@code tasks} tasks; answers the seconds it took and the bytes it holds. */
    static double[] fill(Path dataDir, int tasks) throws Exception {
        double fillSeconds = StoreFiller.fill(dataDir, tasks, StoreFiller.DEFAULT_ACCOUNT);
        long databaseBytes = 0;
        try (var files = Files.list(dataDir)) {
            for (Path file : files.toList()) {
                databaseBytes += Files.size(file);
            }
        }
        return new double[] {fillSeconds, databaseBytes};
    }

    public static Result measure(List<String> serverCommand, Path work, int tasks, int calls) throws Exception {
        Path dataDir = work.resolve("data-" + tasks);
        double[] filled = fill(dataDir, tasks);
        return measure(new Server("berth", serverCommand), work, dataDir, tasks, filled, calls);
    }

    static Result measure(Server server, Path work, Path dataDir, int tasks, double[] filled, int calls)
            throws Exception {
        int port = Processes.freePort();
        String endpoint = "http://127.0.0.1:" + port;
        List<String> command = new ArrayList<>(server.command());
        command.add("server");
        command.addAll(server.plainHttp());
        command.addAll(List.of("--dev", "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--account-id", StoreFiller.DEFAULT_ACCOUNT, "--data-dir", dataDir.toString()));
        Path log = work.resolve("server-" + server.name() + "-" + tasks + ".log");
        // Classes loaded and signer ready before the clock starts, on a client of its own: a client whose first
        // calls were refused does not recover quickly, so the measuring one only calls once the port is open.
        try (AsyncEcs warmUp = new AsyncEcs(endpoint, "us-east-1", "bench", "bench", 1)) {
            answers(warmUp.ecs);
        }
        try (AsyncEcs client = new AsyncEcs(endpoint, "us-east-1", "bench", "bench", 2)) {
            EcsAsyncClient ecs = client.ecs;
            long began = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            var decoded = new java.util.concurrent.CompletableFuture<Double>();
            Thread watcher = Thread.ofPlatform().daemon(true).start(() -> watchForDecoded(log, began, decoded));
            try {
                while (!listening(port) || !answers(ecs)) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("The server exited; see " + log);
                    }
                    Thread.sleep(10);
                }
                double startSeconds = (System.nanoTime() - began) / 1e9;
                double resident = Processes.residentMiB(process.pid());
                var describe = describeTasks(ecs, tasks, calls);
                var listStopped = listTasks(ecs, DesiredStatus.STOPPED, calls);
                var listRunning = listTasks(ecs, null, calls);
                // A server that decodes in the background logs when it is done; one that decodes before it answers
                // has none to log, and has decoded everything when it first answers.
                double decodedSeconds = startSeconds;
                try {
                    decodedSeconds = decoded.get(decodesInBackground(log) ? DECODING_WAIT_SECONDS : 0, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // Decoded at the start.
                }
                // After the decoding: the heap the whole decoded state takes.
                double liveHeap = liveHeapMiB(server.command().getFirst(), process.pid());
                return new Result(server.name(), tasks, filled[0], (long) filled[1], startSeconds,
                        Math.max(decodedSeconds, startSeconds), resident, liveHeap, describe, listStopped, listRunning);
            } finally {
                watcher.interrupt();
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /** Whether the server decodes its store in the background: it then logs how many documents it read first. */
    private static boolean decodesInBackground(Path log) throws IOException {
        return Files.readString(log).contains("stored documents in");
    }

    /** Completes with the seconds since {@code began} once the server logs that it has decoded its whole store. */
    private static void watchForDecoded(Path log, long began, java.util.concurrent.CompletableFuture<Double> decoded) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                if (Files.exists(log) && DECODED.matcher(Files.readString(log)).find()) {
                    decoded.complete((System.nanoTime() - began) / 1e9);
                    return;
                }
                Thread.sleep(20);
            }
        } catch (IOException | InterruptedException e) {
            // Stopped with the server.
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

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        String java = a.get("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> options = new ArrayList<>();
        for (String option : a.get("server-opts", "").split(" ")) {
            if (!option.isBlank()) {
                options.add(option);
            }
        }
        // Other builds of the server to start on the very same stores, one after the other, for before/after figures.
        List<Server> servers = new ArrayList<>();
        servers.add(server("berth", java, options, a.get("berth-jar", "berth-server/target/berth.jar")));
        String compare = a.get("compare-jar", "");
        if (!compare.isBlank()) {
            servers.addFirst(server(a.get("compare-name", "before"), java, options, compare));
        }
        Path work = Path.of(a.get("work", Files.createTempDirectory("berth-restart").toString()));
        int calls = a.getInt("calls", 300);
        // One small start first, not counted, so that the baseline does not pay for a cold jar and file cache.
        Path warmData = work.resolve("data-warm");
        double[] warmFill = fill(warmData, 1_000);
        for (Server server : servers) {
            measure(server, work, warmData, 1_000, warmFill, 10);
        }
        List<Result> results = new ArrayList<>();
        System.out.println(Result.header());
        for (String size : a.get("sizes", "10000,1000000").split(",")) {
            int tasks = Integer.parseInt(size.trim());
            Path dataDir = work.resolve("data-" + tasks);
            double[] filled = fill(dataDir, tasks);
            for (Server server : servers) {
                Result result = measure(server, work, dataDir, tasks, filled, calls);
                results.add(result);
                System.out.println(result.row());
            }
        }
        for (Server server : servers) {
            List<Result> own = results.stream().filter(r -> r.server().equals(server.name())).toList();
            Result base = own.getFirst();
            for (Result result : own.subList(1, own.size())) {
                System.out.printf("%s, %,d tasks over %,d: start %.2fx, RSS %.2fx, heap %.2fx, DescribeTasks p50 %.2fx "
                        + "p99 %.2fx, ListTasks STOPPED p50 %.2fx p99 %.2fx, ListTasks RUNNING p50 %.2fx p99 %.2fx%n",
                        server.name(), result.tasks(), base.tasks(), result.startSeconds() / base.startSeconds(),
                        result.residentMiB() / base.residentMiB(), result.liveHeapMiB() / base.liveHeapMiB(),
                        result.describe().p50Millis() / base.describe().p50Millis(),
                        result.describe().p99Millis() / base.describe().p99Millis(),
                        result.listStopped().p50Millis() / base.listStopped().p50Millis(),
                        result.listStopped().p99Millis() / base.listStopped().p99Millis(),
                        result.listRunning().p50Millis() / base.listRunning().p50Millis(),
                        result.listRunning().p99Millis() / base.listRunning().p99Millis());
            }
        }
        if (servers.size() == 2) {
            for (int i = 0; i + 1 < results.size(); i += 2) {
                Result before = results.get(i);
                Result after = results.get(i + 1);
                System.out.printf("%,d tasks, %s over %s: start %.2fx, decoded %.2fx, heap %.2fx, DescribeTasks p50 %.2fx "
                        + "p99 %.2fx, ListTasks STOPPED p50 %.2fx, ListTasks RUNNING p50 %.2fx%n", after.tasks(),
                        after.server(), before.server(), after.startSeconds() / before.startSeconds(),
                        after.decodedSeconds() / before.decodedSeconds(), after.liveHeapMiB() / before.liveHeapMiB(),
                        after.describe().p50Millis() / before.describe().p50Millis(),
                        after.describe().p99Millis() / before.describe().p99Millis(),
                        after.listStopped().p50Millis() / before.listStopped().p50Millis(),
                        after.listRunning().p50Millis() / before.listRunning().p50Millis());
            }
        }
        System.exit(0);
    }

    static Server server(String name, String java, List<String> options, String jar) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(options);
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-jar", new File(jar).getAbsolutePath()));
        return new Server(name, command, Processes.knowsOption(command, "server", "--http")
                ? List.of("--http") : List.of());
    }
}
