package io.berth.agent.acs;

import io.berth.agent.engine.InvalidTaskException;
import io.berth.model.acs.AckRequest;
import io.berth.model.acs.AcsCodec;
import io.berth.model.acs.AcsMessage;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.HeartbeatAckRequest;
import io.berth.model.acs.HeartbeatMessage;
import io.berth.model.acs.IAMRoleCredentialsAckRequest;
import io.berth.model.acs.IAMRoleCredentialsMessage;
import io.berth.model.acs.IamRoleCredentials;
import io.berth.model.acs.PayloadMessage;
import io.berth.model.acs.TaskIdentifier;
import io.berth.model.acs.TaskManifestMessage;
import io.berth.model.acs.TaskStopVerificationAck;
import io.berth.model.acs.TaskStopVerificationMessage;
import io.berth.model.acs.Unknown;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The agent's end of the ACS websocket: connects to {@code <endpoint>/ws} with a signed upgrade, answers
 * heartbeats, hands payloads to the engine and acknowledges them, reconciles task manifests, and reconnects with
 * backoff whenever the connection ends. A refused upgrade naming {@code InactiveInstanceException} means this
 * instance was deregistered: the session then waits long before trying again.
 */
public final class AcsSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AcsSession.class);
    /** Close codes after which the official agent reconnects at once. */
    private static final Set<Integer> IMMEDIATE_RECONNECT = Set.of(1000, 1001, 1006, 1011);
    private static final Duration STABLE_CONNECTION = Duration.ofMinutes(1);

    private final AcsSettings settings;
    private final Supplier<String> pollEndpoint;
    private final AwsCredentialsProvider credentials;
    private final AcsTasks tasks;
    private final TaskCredentials taskCredentials;
    private final AcsCodec codec = new AcsCodec();
    private final UpgradeSigner signer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final ExecutorService handler = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("acs-handler").factory());
    private final Object sleeper = new Object();

    private volatile boolean closed;
    private volatile boolean deregistered;
    private volatile WebSocket socket;
    private volatile Connection connection;
    private volatile boolean sentCredentialsRequest;
    private Thread loop;

    // handler-thread state
    private long highestSequence;
    private String lastManifestMessageId;

    public AcsSession(AcsSettings settings, Supplier<String> pollEndpoint, AwsCredentialsProvider credentials,
            AcsTasks tasks, TaskCredentials taskCredentials) {
        this.settings = settings;
        this.pollEndpoint = pollEndpoint;
        this.credentials = credentials;
        this.tasks = tasks;
        this.taskCredentials = taskCredentials;
        this.signer = new UpgradeSigner(settings.region(), java.time.Clock.systemUTC());
    }

    public synchronized void start() {
        if (loop == null) {
            loop = Thread.ofPlatform().daemon().name("acs-session").start(this::connectLoop);
        }
    }

    /** Whether a websocket is currently open. */
    public boolean connected() {
        return socket != null;
    }

    /** Whether the control plane refused this instance as deregistered on the last attempt. */
    public boolean deregistered() {
        return deregistered;
    }

    @Override
    public void close() {
        closed = true;
        WebSocket current = socket;
        if (current != null) {
            current.sendClose(WebSocket.NORMAL_CLOSURE, "Agent stopping").orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
            current.abort();
        }
        Connection open = connection;
        if (open != null) {
            open.ended.complete(WebSocket.NORMAL_CLOSURE);
        }
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        Thread running = loop;
        if (running != null) {
            try {
                running.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        handler.shutdownNow();
        http.shutdownNow();
    }

    private void connectLoop() {
        Duration backoff = settings.firstBackoff();
        while (!closed) {
            try {
                Connection current = connect();
                Instant connectedAt = Instant.now();
                deregistered = false;
                int closeCode = current.awaitEnd();
                boolean stable = Duration.between(connectedAt, Instant.now()).compareTo(STABLE_CONNECTION) >= 0;
                if (stable) {
                    backoff = settings.firstBackoff();
                }
                boolean brief = Duration.between(connectedAt, Instant.now()).toMillis() < 1000;
                // a server that closes every connection at once must not make this a busy loop
                if (IMMEDIATE_RECONNECT.contains(closeCode) && !brief) {
                    LOG.info("ACS connection closed ({}), reconnecting", closeCode);
                    continue;
                }
                LOG.info("ACS connection ended ({})", closeCode);
            } catch (Refused refused) {
                if (refused.body().contains("InactiveInstanceException")) {
                    deregistered = true;
                    LOG.warn("ACS refused this container instance as inactive (deregistered): {}", refused.body());
                    pause(settings.deregisteredWait());
                    continue;
                }
                LOG.warn("ACS refused the connection: HTTP {} {}", refused.status(), refused.body());
            } catch (RuntimeException e) {
                LOG.warn("Cannot connect to ACS: {}", e.getMessage());
            }
            if (closed) {
                return;
            }
            pause(jitter(backoff));
            backoff = min(settings.maximumBackoff(), Duration.ofMillis((long) (backoff.toMillis() * 1.5)));
        }
    }

    private void pause(Duration duration) {
        synchronized (sleeper) {
            if (closed) {
                return;
            }
            try {
                sleeper.wait(Math.max(1, duration.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    private static Duration jitter(Duration duration) {
        double factor = 1 + ThreadLocalRandom.current().nextDouble(-0.2, 0.2);
        return Duration.ofMillis((long) (duration.toMillis() * factor));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The upgrade was answered with something other than 101. */
    private static final class Refused extends RuntimeException {
        private final int status;
        private final String body;

        Refused(int status, String body) {
            super("HTTP " + status + ": " + body);
            this.status = status;
            this.body = body;
        }

        int status() {
            return status;
        }

        String body() {
            return body;
        }
    }

    private Connection connect() {
        String endpoint = pollEndpoint.get();
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalStateException("DiscoverPollEndpoint returned no endpoint");
        }
        URI base = URI.create(endpoint);
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new IllegalStateException("Unsupported ACS endpoint scheme: " + endpoint);
        }
        boolean sendCredentials = !sentCredentialsRequest;
        TreeMap<String, String> query = new TreeMap<>();
        query.put("agentHash", settings.agentHash());
        query.put("agentVersion", settings.agentVersion());
        query.put("clusterArn", settings.cluster());
        query.put("containerInstanceArn", settings.containerInstanceArn());
        query.put("dockerVersion", "DockerVersion: " + settings.dockerVersion());
        query.put("protocolVersion", "2");
        query.put("sendCredentials", Boolean.toString(sendCredentials));
        query.put("seqNum", "1");
        UpgradeSigner.SignedUpgrade upgrade = signer.sign(base, "/ws", query, credentials.resolveCredentials());

        Connection opening = new Connection();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30));
        upgrade.headers().forEach(builder::header);
        try {
            socket = builder.buildAsync(upgrade.uri(), opening).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                Object body = refused.getResponse().body();
                throw new Refused(refused.getResponse().statusCode(), body == null ? "" : body.toString());
            }
            throw new IllegalStateException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("ACS handshake timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while connecting to ACS", e);
        }
        sentCredentialsRequest = true;
        LOG.info("Connected to ACS at {}", base);
        connection = opening;
        opening.watch(socket);
        return opening;
    }

    /** One websocket connection: collects frames, watches for silence, reports how it ended. */
    private final class Connection implements WebSocket.Listener {
        private final CompletableFuture<Integer> ended = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile Instant lastMessage = Instant.now();
        private final Duration idleLimit = settings.idleTimeout().plusMillis(
                ThreadLocalRandom.current().nextLong(Math.max(1, settings.idleTimeout().toMillis())));
        private final Instant expires = Instant.now().plus(settings.connectionLifetime()).plusMillis(
                ThreadLocalRandom.current().nextLong(Math.max(1, settings.connectionLifetime().toMillis() / 6)));

        void watch(WebSocket webSocket) {
            Thread.ofPlatform().daemon().name("acs-watchdog").start(() -> {
                while (!ended.isDone() && !closed) {
                    try {
                        ended.get(1, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        Instant now = Instant.now();
                        if (now.isAfter(lastMessage.plus(idleLimit))) {
                            LOG.warn("No message from ACS for {}, reconnecting", idleLimit);
                            webSocket.abort();
                            ended.complete(1006);
                        } else if (now.isAfter(expires)) {
                            webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "ConnectionExpired: Reconnect to continue");
                            webSocket.abort();
                            ended.complete(WebSocket.NORMAL_CLOSURE);
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (ExecutionException e) {
                        return;
                    }
                }
            });
        }

        int awaitEnd() {
            try {
                return ended.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1006;
            } catch (ExecutionException e) {
                return 1006;
            } finally {
                socket = null;
                connection = null;
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                handler.execute(() -> handle(webSocket, frame, this));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            LOG.info("ACS closed the connection: {} {}", statusCode, reason);
            ended.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            LOG.warn("ACS connection failed: {}", error.getMessage());
            ended.complete(1006);
        }
    }

    // ---- messages (on the handler thread)

    private void handle(WebSocket webSocket, String frame, Connection connection) {
        AcsMessage message;
        try {
            message = codec.read(frame);
        } catch (IllegalArgumentException e) {
            LOG.warn("Dropping an undecodable ACS frame: {}", e.getMessage());
            return;
        }
        connection.lastMessage = Instant.now();
        try {
            switch (message) {
                case HeartbeatMessage heartbeat -> send(webSocket, new HeartbeatAckRequest(heartbeat.messageId()));
                case PayloadMessage payload -> onPayload(webSocket, payload);
                case IAMRoleCredentialsMessage refresh -> onCredentials(webSocket, refresh);
                case TaskManifestMessage manifest -> onManifest(webSocket, manifest);
                case TaskStopVerificationAck ack -> onStopVerification(ack);
                case Unknown unknown -> LOG.info("Ignoring ACS message {}: {}", unknown.type(), unknown.messageJson());
                default -> LOG.info("Ignoring ACS message {}", message);
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot handle ACS message {}: {}", AcsCodec.typeOf(message), e.getMessage(), e);
        }
    }

    private void onPayload(WebSocket webSocket, PayloadMessage payload) {
        if (payload.messageId() == null || payload.clusterArn() == null || payload.containerInstanceArn() == null) {
            LOG.warn("Dropping a PayloadMessage without messageId, clusterArn or containerInstanceArn");
            return;
        }
        if (payload.seqNum() != null) {
            highestSequence = Math.max(highestSequence, payload.seqNum());
        }
        boolean allLoaded = true;
        List<IamRoleCredentials> credentialSets = new ArrayList<>();
        for (AcsTask task : payload.tasks() == null ? List.<AcsTask>of() : payload.tasks()) {
            try {
                tasks.apply(task);
                addCredentials(task.roleCredentials(), credentialSets);
                addCredentials(task.executionRoleCredentials(), credentialSets);
            } catch (InvalidTaskException e) {
                LOG.warn("Payload {}: task {} refused: {}", payload.messageId(), task.arn(), e.getMessage());
                allLoaded = false;
            }
        }
        if (!allLoaded) {
            return;
        }
        send(webSocket, new AckRequest(payload.clusterArn(), payload.containerInstanceArn(), payload.messageId()));
        for (IamRoleCredentials set : credentialSets) {
            send(webSocket, new IAMRoleCredentialsAckRequest(payload.messageId(), set.expiration(), set.credentialsId()));
        }
    }

    private void addCredentials(IamRoleCredentials credentials, List<IamRoleCredentials> sets) {
        if (credentials != null && credentials.credentialsId() != null) {
            taskCredentials.put(credentials);
            sets.add(credentials);
        }
    }

    private void onCredentials(WebSocket webSocket, IAMRoleCredentialsMessage refresh) {
        IamRoleCredentials credentials = refresh.roleCredentials();
        if (refresh.messageId() == null || refresh.taskArn() == null || credentials == null
                || credentials.credentialsId() == null) {
            LOG.warn("Dropping an IAMRoleCredentialsMessage without messageId, taskArn or credentialsId");
            return;
        }
        taskCredentials.put(credentials);
        send(webSocket, new IAMRoleCredentialsAckRequest(refresh.messageId(), credentials.expiration(),
                credentials.credentialsId()));
    }

    private void onManifest(WebSocket webSocket, TaskManifestMessage manifest) {
        if (manifest.timeline() == null || manifest.timeline() <= highestSequence) {
            LOG.info("Discarding stale task manifest {} (timeline {})", manifest.messageId(), manifest.timeline());
            return;
        }
        highestSequence = manifest.timeline();
        send(webSocket, new AckRequest(manifest.clusterArn(), manifest.containerInstanceArn(), manifest.messageId()));
        lastManifestMessageId = manifest.messageId();
        Map<String, TaskIdentifier> listed = new HashMap<>();
        if (manifest.tasks() != null) {
            manifest.tasks().forEach(t -> listed.put(t.taskArn(), t));
        }
        List<TaskIdentifier> candidates = new ArrayList<>();
        for (String arn : tasks.desiredRunning()) {
            TaskIdentifier entry = listed.get(arn);
            if (entry == null || !"RUNNING".equals(entry.desiredStatus())) {
                candidates.add(new TaskIdentifier(arn, entry == null ? null : entry.taskClusterArn(), "STOPPED"));
            }
        }
        if (!candidates.isEmpty()) {
            send(webSocket, new TaskStopVerificationMessage(manifest.messageId(), candidates));
        }
    }

    private void onStopVerification(TaskStopVerificationAck ack) {
        if (ack.messageId() == null || !ack.messageId().equals(lastManifestMessageId)) {
            LOG.info("Ignoring a TaskStopVerificationAck for message {}", ack.messageId());
            return;
        }
        if (ack.stopTasks() != null) {
            ack.stopTasks().forEach(t -> tasks.stop(t.taskArn()));
        }
    }

    private void send(WebSocket webSocket, AcsMessage message) {
        // one send at a time: the JDK websocket refuses a send while another is pending
        synchronized (this) {
            webSocket.sendText(codec.write(message), true).orTimeout(30, TimeUnit.SECONDS).join();
        }
    }
}
