package io.berth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * A {@code berth server} in its own JVM on a PostgreSQL database, as an operator starts each node sharing one: its
 * own data directory (where it keeps its node id), a loopback port, the account the store was filled for, and the
 * master key every node of the store shares. Its output goes to a log file beside the data directory.
 */
final class BerthNode implements AutoCloseable {

    static final String REGION = "us-east-1";
    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static final String LISTENING = "Berth is listening on";

    /** Where the nodes' state is: the database, and what every node of it is started with. */
    record Database(String jdbcUrl, String user, Path masterKey, List<String> extraOptions) {
    }

    private final Process process;
    private final Path dataDir;
    private final Path log;
    private final int port;

    private BerthNode(Process process, Path dataDir, Path log, int port) {
        this.process = process;
        this.dataDir = dataDir;
        this.log = log;
        this.port = port;
    }

    /** Starts a node of the given build and waits until it answers, leading or following. */
    static BerthNode start(RestartBench.Server build, Database database, Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            int port = Processes.freePort();
            List<String> command = new ArrayList<>(build.command());
            command.add("server");
            command.addAll(build.plainHttp());
            command.addAll(List.of("--host", "127.0.0.1", "--port", String.valueOf(port),
                    "--data-dir", dataDir.toString(), "--account-id", StoreFiller.DEFAULT_ACCOUNT,
                    "--store", "postgres", "--jdbc-url", database.jdbcUrl(), "--db-user", database.user(),
                    "--master-key-file", database.masterKey().toString()));
            command.addAll(database.extraOptions());
            Path log = dataDir.resolveSibling(dataDir.getFileName() + "-" + System.nanoTime() + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            BerthNode node = new BerthNode(process, dataDir, log, port);
            node.awaitListening();
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a node on " + dataDir, e);
        }
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (log().contains(LISTENING)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("The node exited with " + process.exitValue() + "; see " + log);
            }
            sleep(Duration.ofMillis(20));
        }
        process.destroyForcibly();
        throw new IllegalStateException("The node did not answer within " + STARTUP + "; see " + log);
    }

    long pid() {
        return process.pid();
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** What the node printed so far. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path logFile() {
        return log;
    }

    /** Whether it said, when it started answering, that it follows another node. */
    boolean startedFollowing() {
        return log().contains("(following ");
    }

    /** The key the store's first leader wrote to its data directory; only that node has the file. */
    AwsCredentials credentials() {
        Path file = dataDir.resolve("credentials");
        return ProfileCredentialsProvider.builder()
                .profileFile(ProfileFile.builder().content(file).type(ProfileFile.Type.CREDENTIALS).build())
                .profileName("default").build().resolveCredentials();
    }

    /** A client of this node, without retries, that gives up on a call after the timeout. */
    EcsClient client(AwsCredentials credentials, Duration callTimeout) {
        return EcsClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(callTimeout).build())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1))
                        .apiCallTimeout(callTimeout))
                .build();
    }

    /** Kills the node with SIGKILL, as a crash would, and waits until it is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the node as an operator would (SIGTERM), killing it if it does not stop. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
