package io.berth.e2e;

import io.berth.agent.tls.ServerTrust;
import io.berth.server.tls.TlsConfig;
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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * A Berth command in its own JVM ({@code berth server}, {@code berth all-in-one} or {@code berth agent}), started
 * as an operator would, so that a test can kill it with SIGKILL and start it again on the same data directory. A
 * server serves HTTPS with the CA it creates in its data directory, unless started with {@code --http}.
 */
final class BerthProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Pattern INSTANCE_ARN = Pattern.compile("arn:aws:ecs:[^\\s]+:container-instance/\\S+");
    private static final Pattern KEY = Pattern.compile("(?m)^\\s*(aws_access_key_id|aws_secret_access_key)\\s*=\\s*(\\S+)");

    private final Process process;
    private final int port;
    private final Path log;
    private final String scheme;
    private final Path dataDir;

    private BerthProcess(Process process, int port, Path log, String scheme, Path dataDir) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.scheme = scheme;
        this.dataDir = dataDir;
    }

    /** Starts {@code berth server} on a free port with the data directory and waits until it answers. */
    static BerthProcess start(Path dataDir, String... extraArguments) {
        return launch("server", dataDir, "Berth is listening on", extraArguments);
    }

    /** Starts {@code berth server} on the given port, so that a node started again keeps its endpoint. */
    static BerthProcess startOnPort(Path dataDir, int port, String... extraArguments) {
        List<String> command = new ArrayList<>(List.of("server", "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--data-dir", dataDir.toString()));
        command.addAll(List.of(extraArguments));
        return launch(command, port, dataDir, logFile(dataDir, Integer.toString(port)), "Berth is listening on");
    }

    /** Runs a one-shot {@code berth} command (such as {@code nodes}) in its own JVM and answers what it printed. */
    static Commands.Result runCommand(Duration timeout, String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "io.berth.server.Berth"));
        command.addAll(List.of(arguments));
        try {
            return Commands.run(Map.of(), timeout, command.toArray(String[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts {@code berth all-in-one} (the server and an agent for this host's Docker Engine) on a free port and
     * waits until its agent joined cluster {@code default}.
     */
    static BerthProcess allInOne(Path dataDir, String... extraArguments) {
        // Killed processes cannot remove host rules: these tests leave the host's network alone.
        List<String> arguments = new ArrayList<>(List.of(extraArguments));
        arguments.add("--no-task-credentials-endpoint");
        return launch("all-in-one", dataDir, "This host joined cluster", arguments.toArray(String[]::new));
    }

    /**
     * Starts {@code berth agent} against a server's endpoint, signing with the server's credentials file and trusting
     * the server through {@code caBundle} (such as the server's {@code ca.pem}; null for none), and waits until it
     * registered.
     */
    static BerthProcess agent(String endpoint, Path credentialsFile, Path caBundle, Path dataDir,
            String... extraArguments) {
        List<String> command = new ArrayList<>(List.of("agent", "--endpoint", endpoint,
                "--credentials-file", credentialsFile.toString(), "--data-dir", dataDir.toString()));
        if (caBundle != null) {
            command.addAll(List.of("--ca-bundle", caBundle.toString()));
        }
        command.addAll(List.of(extraArguments));
        return launch(command, -1, dataDir, logFile(dataDir, "agent"), "Joined ");
    }

    private static BerthProcess launch(String subcommand, Path dataDir, String ready, String... extraArguments) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(subcommand, "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--data-dir", dataDir.toString()));
        command.addAll(List.of(extraArguments));
        return launch(command, port, dataDir, logFile(dataDir, Integer.toString(port)), ready);
    }

    private static Path logFile(Path dataDir, String suffix) {
        return dataDir.resolveSibling(dataDir.getFileName() + "-" + suffix + "-" + System.nanoTime() + ".log");
    }

    private static BerthProcess launch(List<String> arguments, int port, Path dataDir, Path log, String ready) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"),
                "io.berth.server.Berth"));
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            BerthProcess berth = new BerthProcess(process, port, log, arguments.contains("--http") ? "http" : "https",
                    dataDir);
            berth.awaitOutput(ready);
            return berth;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    private void awaitOutput(String ready) throws IOException {
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (Files.readString(log).contains(ready)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("berth exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            sleep(Duration.ofMillis(50));
        }
        process.destroyForcibly();
        throw new IllegalStateException("berth did not start within " + STARTUP + ":\n" + Files.readString(log));
    }

    /** What the process printed so far. */
    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The container instance ARN a started agent (or all-in-one) printed. */
    String containerInstanceArn() {
        Matcher matcher = INSTANCE_ARN.matcher(output());
        if (!matcher.find()) {
            throw new IllegalStateException("No container instance ARN in:\n" + output());
        }
        return matcher.group();
    }

    String endpoint() {
        return scheme + "://127.0.0.1:" + port;
    }

    /**
     * A client of the HTTPS server on the port, trusting the CA of its data directory and signed with the key the
     * server wrote to {@code <data-dir>/credentials} on first start.
     */
    static EcsClient client(Path dataDir, int port) {
        return EcsClient.builder()
                .endpointOverride(URI.create("https://127.0.0.1:" + port))
                .region(Region.of(RunningBerth.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(credentials(dataDir)))
                .httpClient(trust(dataDir).sdkHttpClient())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    /** The JVM's trust store and the CA of this server's data directory. */
    ServerTrust trust() {
        return trust(dataDir);
    }

    /** The CA certificate a server wrote to its data directory on first start. */
    static Path caBundle(Path dataDir) {
        return dataDir.resolve(TlsConfig.CA_FILE);
    }

    /** The JVM's trust store and the CA of the server's data directory. */
    static ServerTrust trust(Path dataDir) {
        return ServerTrust.withCaBundle(caBundle(dataDir));
    }

    /** The key the server wrote to {@code <data-dir>/credentials} on first start. */
    static AwsBasicCredentials credentials(Path dataDir) {
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
        return AwsBasicCredentials.create(accessKeyId, secretAccessKey);
    }

    int port() {
        return port;
    }

    /** The operating system's id of the process. */
    long pid() {
        return process.pid();
    }

    /** The exit status of the ended process: 137 (128 + 9) after {@link #kill}. */
    int exitValue() {
        return process.exitValue();
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

    /** SIGSTOP: the process is frozen, its sockets open, until {@link #resume}. */
    void pause() {
        signal("STOP");
    }

    /** SIGCONT: a paused process runs on from where it stopped. */
    void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        kill();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sleeps, turning an interruption into a failure of the test. */
    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
