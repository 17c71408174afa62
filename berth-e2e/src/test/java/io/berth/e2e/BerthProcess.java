package io.berth.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * A Berth server in its own JVM, started with {@code berth server} as an operator would, so that a
 * test can kill it with SIGKILL and start it again on the same data directory.
 */
final class BerthProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Pattern KEY = Pattern.compile("(?m)^\\s*(aws_access_key_id|aws_secret_access_key)\\s*=\\s*(\\S+)");

    private final Process process;
    private final int port;
    private final Path log;

    private BerthProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code berth server} on a free port with the data directory and waits until it answers. */
    static BerthProcess start(Path dataDir, String... extraArguments) {
        return start("server", dataDir, extraArguments);
    }

    /**
     * Starts {@code berth all-in-one}: the server and an agent for this host's Docker Engine, in
     * cluster {@code default}.
     */
    static BerthProcess startAllInOne(Path dataDir) {
        return start("all-in-one", dataDir);
    }

    private static BerthProcess start(String berthCommand, Path dataDir, String... extraArguments) {
        int port = freePort();
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-" + port + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "io.berth.server.Berth", berthCommand, "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--data-dir", dataDir.toString()));
        command.addAll(List.of(extraArguments));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            BerthProcess berth = new BerthProcess(process, port, log);
            berth.awaitListening();
            return berth;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    private void awaitListening() throws IOException {
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (Files.readString(log).contains("Berth is listening on")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("berth server exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            sleep(Duration.ofMillis(50));
        }
        process.destroyForcibly();
        throw new IllegalStateException("berth server did not start within " + STARTUP + ":\n" + Files.readString(log));
    }

    /** A client signed with the key the server wrote to {@code <data-dir>/credentials} on first start. */
    static EcsClient client(Path dataDir, int port) {
        String credentials;
        try {
            credentials = Files.readString(dataDir.resolve("credentials"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher matcher = KEY.matcher(credentials);
        String accessKeyId = null;
        String secretAccessKey = null;
        while (matcher.find()) {
            if (matcher.group(1).equals("aws_access_key_id")) {
                accessKeyId = matcher.group(2);
            } else {
                secretAccessKey = matcher.group(2);
            }
        }
        return EcsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.of(RunningBerth.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    int port() {
        return port;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
