package io.berth.e2e;

import io.berth.control.iam.AccessKey;
import io.berth.server.BerthServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Several {@code berth server --store postgres} processes on one database, as an operator runs them: each with its
 * own data directory and port, one master key file for all. A test can kill a node with SIGKILL, freeze it with
 * SIGSTOP and thaw it, start it again on its port, and ask {@code berth nodes} which one leads.
 */
final class NodeSet implements AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final List<Node> nodes;
    private final Duration leaseTtl;
    private final List<String> serverArguments;
    private final Map<Integer, BerthProcess> running = new ConcurrentHashMap<>();
    private final Set<Integer> paused = ConcurrentHashMap.newKeySet();
    private final List<BerthProcess> everStarted = new CopyOnWriteArrayList<>();
    private final List<SdkClient> clients = new CopyOnWriteArrayList<>();
    private final Map<Integer, EcsClient> ecsClients = new ConcurrentHashMap<>();

    private NodeSet(List<Node> nodes, Duration leaseTtl, List<String> serverArguments) {
        this.nodes = nodes;
        this.leaseTtl = leaseTtl;
        this.serverArguments = serverArguments;
    }

    /**
     * The nodes, none started yet, each with a data directory under {@code dir}, on the database at {@code jdbcUrl}
     * (user postgres), with the lease TTL and the extra server arguments given.
     */
    static NodeSet prepare(Path dir, String jdbcUrl, int count, Duration leaseTtl, String... extraArguments) {
        Path masterKey = dir.resolve("master.key");
        writeMasterKey(masterKey);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(new Node(i, BerthProcess.freePort(), dir.resolve("node-" + (i + 1))));
        }
        List<String> arguments = new ArrayList<>(List.of("--store", "postgres", "--jdbc-url", jdbcUrl,
                "--db-user", "postgres", "--master-key-file", masterKey.toString(),
                "--lease-ttl", Long.toString(leaseTtl.toSeconds())));
        arguments.addAll(List.of(extraArguments));
        return new NodeSet(List.copyOf(nodes), leaseTtl, List.copyOf(arguments));
    }

    /** A key as {@code Sealer.fromKeyFile} reads it: 32 random bytes in base64, readable by its owner only. */
    private static void writeMasterKey(Path file) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            Files.createDirectories(file.getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts node 1 alone (it creates the account and leads), then the others together; answers once all answer. */
    NodeSet startFirstThenOthers() {
        start(nodes.getFirst());
        startTogether(nodes.subList(1, nodes.size()));
        return this;
    }

    /** Starts every node at the same moment on the empty database. */
    NodeSet startAllAtOnce() {
        startTogether(nodes);
        return this;
    }

    private void startTogether(List<Node> some) {
        try (ExecutorService starting = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> started = some.stream().<Future<?>>map(node -> starting.submit(() -> start(node))).toList();
            for (Future<?> future : started) {
                future.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("A node did not start", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the node on its port and data directory; answers once it prints that it listens. */
    void start(Node node) {
        List<String> arguments = new ArrayList<>(serverArguments);
        // One CA for every node, as an operator sets them up: a follower forwards to the leader over HTTPS.
        TestCa.install(node.dataDir());
        arguments.addAll(List.of("--public-endpoint", node.endpoint()));
        BerthProcess process = BerthProcess.startOnPort(node.dataDir(), node.port(), arguments.toArray(String[]::new));
        everStarted.add(process);
        running.put(node.index(), process);
        paused.remove(node.index());
    }

    /** SIGKILL: the node ends without a shutdown hook; its lease, if it led, lapses after the TTL. */
    void kill(Node node) {
        BerthProcess process = running.remove(node.index());
        if (process != null) {
            process.kill();
        }
        paused.remove(node.index());
    }

    /** Kills the node if it runs, then starts it again on the same port and data directory. */
    void restart(Node node) {
        kill(node);
        start(node);
    }

    /** SIGSTOP: the node freezes with its sockets open; connections to it hang. */
    void pause(Node node) {
        process(node).pause();
        paused.add(node.index());
    }

    /** SIGCONT: the frozen node runs on from where it stopped. */
    void resume(Node node) {
        process(node).resume();
        paused.remove(node.index());
    }

    /** Thaws every frozen node and starts every dead one. */
    void healAll() {
        for (Node node : nodes) {
            if (paused.contains(node.index())) {
                resume(node);
            } else if (!running.containsKey(node.index())) {
                start(node);
            }
        }
    }

    boolean isRunning(Node node) {
        return running.containsKey(node.index()) && !paused.contains(node.index());
    }

    BerthProcess process(Node node) {
        BerthProcess process = running.get(node.index());
        if (process == null) {
            throw new IllegalStateException(node + " is not running");
        }
        return process;
    }

    List<Node> all() {
        return nodes;
    }

    Node node(int number) {
        return nodes.get(number - 1);
    }

    /** Every node but the one given. */
    List<Node> others(Node node) {
        return nodes.stream().filter(other -> !other.equals(node)).toList();
    }

    /** The node whose endpoint this is. */
    Node at(String endpoint) {
        return nodes.stream().filter(node -> node.endpoint().equals(endpoint)).findFirst()
                .orElseThrow(() -> new AssertionError("No node of this set at " + endpoint));
    }

    Duration leaseTtl() {
        return leaseTtl;
    }

    /** {@code berth nodes} asked through the given node, or empty when it does not answer. */
    Optional<NodesReport> reportFrom(Node node) {
        Commands.Result result = nodesCommand(node, credentialsFile());
        if (result.exitCode() != 0) {
            return Optional.empty();
        }
        return Optional.of(NodesReport.parse(result.output()));
    }

    /** {@code berth nodes} run against the node, signing with the credentials file given; what it printed. */
    Commands.Result nodesCommand(Node node, Path credentials) {
        return BerthProcess.runCommand(COMMAND_TIMEOUT, "nodes", "--endpoint", node.endpoint(),
                "--credentials", credentials.toString(), "--ca-bundle", TestCa.CERTIFICATE.toString());
    }

    /** {@code berth nodes} asked through the first running node that answers, or empty when none does. */
    Optional<NodesReport> report() {
        for (Node node : nodes) {
            if (isRunning(node)) {
                Optional<NodesReport> report = reportFrom(node);
                if (report.isPresent()) {
                    return report;
                }
            }
        }
        return Optional.empty();
    }

    /** The running node that holds the lease, once one does. */
    Node leader() {
        return awaitLease(lease -> true).node;
    }

    /** The lease once a running node holds it with an epoch above {@code epoch}; the node and its lease. */
    Leading awaitLeaderAfter(long epoch) {
        return awaitLease(lease -> lease.epoch() > epoch);
    }

    /** The lease once a running node holds it and it satisfies the condition. */
    Leading awaitLease(Predicate<NodesReport.Lease> condition) {
        Instant deadline = Instant.now().plus(leaseTtl.multipliedBy(3)).plus(Duration.ofSeconds(90));
        NodesReport last = null;
        while (Instant.now().isBefore(deadline)) {
            Optional<NodesReport> report = report();
            if (report.isPresent()) {
                last = report.get();
                NodesReport.Lease lease = last.leader();
                if (lease != null && condition.test(lease)) {
                    Node node = at(lease.endpoint());
                    if (isRunning(node)) {
                        return new Leading(node, lease, last);
                    }
                }
            }
            BerthProcess.sleep(Duration.ofMillis(250));
        }
        throw new AssertionError("No running node took the lease as expected; the last report: " + last);
    }

    /** The leading node and the report that names it. */
    record Leading(Node node, NodesReport.Lease lease, NodesReport report) {
    }

    /** The credentials file the node that created the account wrote: the only one among the data directories. */
    Path credentialsFile() {
        List<Path> written = nodes.stream().map(node -> node.dataDir().resolve(BerthServer.CREDENTIALS_FILE))
                .filter(Files::exists).toList();
        if (written.size() != 1) {
            throw new AssertionError("Expected one credentials file among the nodes, found " + written);
        }
        return written.getFirst();
    }

    AwsBasicCredentials credentials() {
        return BerthProcess.credentials(credentialsFile().getParent());
    }

    /** The root key, for the agents' websocket, which signs with the key alone. */
    AccessKey rootKey() {
        AwsBasicCredentials credentials = credentials();
        return new AccessKey(credentials.accessKeyId(), credentials.secretAccessKey(), null, null, AccessKey.ACTIVE,
                Instant.now());
    }

    /**
     * Whether the node accepts an agent's websocket upgrade (the ACS query given) now, as only the leader may; the
     * socket is closed again at once.
     */
    boolean acceptsAgents(Node node, Map<String, String> acsQuery) {
        AgentSocket socket;
        try {
            socket = AgentSocket.open(node.endpoint(), rootKey(), RunningBerth.REGION, acsQuery);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception refused) {
            return false;
        }
        try {
            socket.close();
        } catch (RuntimeException alreadyClosed) {
            // the node closed it first: it was accepted all the same
        }
        return true;
    }

    /** An ECS client of the node, signed with the root key, trying each call once. */
    EcsClient ecs(Node node) {
        return ecsClients.computeIfAbsent(node.index(), i -> ecs(node, CALL_TIMEOUT));
    }

    /** An ECS client of the node whose calls give up after {@code timeout}, closed with the set. */
    EcsClient ecs(Node node, Duration timeout) {
        return client(EcsClient.builder(), node, timeout);
    }

    /** An ECS client of the node signed with other credentials, such as a wrong secret. */
    EcsClient ecs(Node node, AwsCredentials signedWith) {
        return client(EcsClient.builder(), node, CALL_TIMEOUT, signedWith);
    }

    IamClient iam(Node node) {
        return client(IamClient.builder(), node, CALL_TIMEOUT);
    }

    StsClient sts(Node node) {
        return client(StsClient.builder(), node, CALL_TIMEOUT);
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends SdkClient> C client(B builder,
            Node node, Duration timeout) {
        return client(builder, node, timeout, credentials());
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends SdkClient> C client(B builder,
            Node node, Duration timeout, AwsCredentials signedWith) {
        C client = builder.endpointOverride(URI.create(node.endpoint()))
                .region(Region.of(RunningBerth.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(signedWith))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(timeout).tlsTrustManagersProvider(TestCa.TRUST::trustManagers).build())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1))
                        .apiCallTimeout(timeout))
                .build();
        clients.add(client);
        return client;
    }

    /** The stacks of the running nodes' leadership and takeover threads, for a failure's report. */
    String leadershipThreads() {
        StringBuilder stacks = new StringBuilder();
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        for (Node node : nodes) {
            BerthProcess process = running.get(node.index());
            if (process == null) {
                continue;
            }
            try {
                String dump = Commands.run(Map.of(), Duration.ofSeconds(30), jcmd, Long.toString(process.pid()),
                        "Thread.print").output();
                stacks.append("---- threads of ").append(node).append('\n');
                for (String thread : dump.split("\n\n")) {
                    if (thread.startsWith("\"berth-takeover") || thread.startsWith("\"berth-leadership")) {
                        stacks.append(thread).append("\n\n");
                    }
                }
            } catch (IOException e) {
                stacks.append("(cannot dump the threads of ").append(node).append(": ").append(e.getMessage()).append(")\n");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return stacks.toString();
            }
        }
        return stacks.toString();
    }

    /** The last lines each process of each node printed, for a failure's report. */
    String logTails(int lines) {
        StringBuilder tails = new StringBuilder();
        for (BerthProcess process : everStarted) {
            List<String> output = process.output().lines().toList();
            tails.append("---- ").append(process.endpoint()).append(" (pid ").append(process.pid()).append(")\n");
            output.subList(Math.max(0, output.size() - lines), output.size())
                    .forEach(line -> tails.append(line).append('\n'));
        }
        return tails.toString();
    }

    @Override
    public void close() {
        clients.forEach(SdkClient::close);
        clients.clear();
        ecsClients.clear();
        running.values().forEach(BerthProcess::kill);
        running.clear();
        paused.clear();
    }
}
