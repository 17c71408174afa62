package io.berth.sim;

import io.berth.model.acs.AckRequest;
import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.AcsMessage;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.HeartbeatAckRequest;
import io.berth.model.acs.HeartbeatMessage;
import io.berth.model.acs.PayloadMessage;
import io.berth.model.acs.PortMapping;
import io.berth.model.acs.TaskIdentifier;
import io.berth.model.acs.TaskManifestMessage;
import io.berth.model.acs.TaskStopVerificationAck;
import io.berth.model.acs.TaskStopVerificationMessage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerStateChange;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.RegisterContainerInstanceRequest;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;

/**
 * One simulated container agent. It registers an instance through the ECS API, keeps an ACS
 * websocket open as the official agent does (SigV4-signed upgrade, heartbeat answers, acks,
 * manifest reconciliation, reconnection), and "runs" the tasks it is sent: it reports them
 * RUNNING after the profile's run delay and STOPPED when they end or are stopped, through
 * SubmitTaskStateChange, a SigV4-signed call of the ECS API sent directly on the shared HTTP client
 * (through the SDK client's per-call pipeline, one report per task took a fifth of a scheduling
 * benchmark's CPU). Nothing here holds a thread: everything runs on the fleet's shared clients and
 * timer.
 */
public final class SimulatedAgent {

    private static final Logger log = LoggerFactory.getLogger(SimulatedAgent.class);

    static final String AGENT_VERSION = "1.89.1";
    static final String AGENT_HASH = "4023248c";
    static final String DOCKER_VERSION = "20.10.24";
    private static final List<String> RESERVED_PORTS = List.of("22", "2375", "2376", "51678", "51679");
    private static final List<String> CAPABILITIES = List.of(
            "ecs.capability.secrets.ssm.environment-variables",
            "ecs.capability.container-ordering",
            "ecs.capability.full-sync",
            "com.amazonaws.ecs.capability.privileged-container",
            "com.amazonaws.ecs.capability.docker-remote-api.1.41",
            "com.amazonaws.ecs.capability.logging-driver.json-file",
            "ecs.capability.external");
    private static final int STOPPED_BY_BACKEND = 137;
    private static final int FAILED = 1;
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(5);
    /** The official agent gives up on a silent session after one to two minutes. */
    static final Duration SILENCE_LIMIT = Duration.ofSeconds(90);

    private final Shared shared;
    private final String cluster;
    private final AgentProfile profile;
    private final int index;
    private final String ec2InstanceId;
    private final Map<String, SimulatedTask> tasks = new ConcurrentHashMap<>();
    private final AtomicInteger nextHostPort = new AtomicInteger(32768);
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger heartbeats = new AtomicInteger();
    private final CompletableFuture<SimulatedAgent> firstConnection = new CompletableFuture<>();

    private volatile String containerInstanceArn;
    private volatile String acsEndpoint;
    private volatile TelemetrySession telemetry;
    private volatile boolean killed;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile String lastManifestId;
    private long highestSequence;
    private boolean credentialsSent;
    private long reconnectDelayMillis = 250;
    private WebSocket socket;
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

    SimulatedAgent(Shared shared, String cluster, AgentProfile profile, int index) {
        this.shared = shared;
        this.cluster = cluster;
        this.profile = profile;
        this.index = index;
        this.ec2InstanceId = "i-" + UUID.randomUUID().toString().replace("-", "").substring(0, 17);
    }

    /** Registers the instance, discovers the ACS endpoint and completes once the first session is open. */
    CompletableFuture<SimulatedAgent> start() {
        shared.ecs().registerContainerInstance(registration())
                .thenCompose(registered -> {
                    containerInstanceArn = registered.containerInstance().containerInstanceArn();
                    return shared.ecs().discoverPollEndpoint(r -> r.cluster(cluster)
                            .containerInstance(containerInstanceArn));
                })
                .whenComplete((endpoint, failure) -> {
                    if (failure != null) {
                        firstConnection.completeExceptionally(unwrap(failure));
                    } else {
                        acsEndpoint = endpoint.endpoint();
                        if (profile.telemetry()) {
                            telemetry = new TelemetrySession(shared, cluster, containerInstanceArn,
                                    endpoint.telemetryEndpoint(), this::runningTasks);
                            telemetry.connect();
                        }
                        connect();
                    }
                });
        return firstConnection;
    }

    public String containerInstanceArn() {
        return containerInstanceArn;
    }

    public String zone() {
        return profile.zone(index);
    }

    public String instanceType() {
        return profile.instanceType(index);
    }

    /** The tasks this agent runs and whose RUNNING report the backend has accepted. */
    public Set<String> runningTasks() {
        return tasks.values().stream()
                .filter(t -> t.status() == SimulatedTask.Status.RUNNING && t.isRunningAcknowledged())
                .map(t -> t.arn)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** How many tasks {@link #runningTasks} would list, without building the set: cheap enough to poll. */
    public int runningTaskCount() {
        int count = 0;
        for (SimulatedTask task : tasks.values()) {
            if (task.status() == SimulatedTask.Status.RUNNING && task.isRunningAcknowledged()) {
                count++;
            }
        }
        return count;
    }

    /** Every task this agent has been sent and still remembers, whatever its status. */
    public Set<String> knownTasks() {
        return Set.copyOf(tasks.keySet());
    }

    /** Whether an ACS session is open now. */
    public synchronized boolean isConnected() {
        return socket != null;
    }

    /** How many ACS sessions this agent has opened so far. */
    public int connections() {
        return connections.get();
    }

    /** How many heartbeats the backend has sent this agent, over all its sessions. */
    public int heartbeatsReceived() {
        return heartbeats.get();
    }

    /** The agent dies: its session drops without a close frame, and it neither reconnects nor reports again. */
    public void kill() {
        killed = true;
        dropSocket();
        TelemetrySession session = telemetry;
        if (session != null) {
            session.close();
        }
    }

    /** The network drops the session; the agent reconnects as the official one does. */
    /**
     * The essential container of a running task exits on its own with the exit code (137 as when
     * killed), and the agent reports the task STOPPED. Answers false if the agent has no such
     * running task.
     */
    public boolean exitTask(String taskArn, int exitCode) {
        SimulatedTask task = tasks.get(taskArn);
        if (task == null || task.status() != SimulatedTask.Status.RUNNING) {
            return false;
        }
        stop(task, exitCode);
        return true;
    }

        public void dropConnection() {
        if (dropSocket()) {
            scheduleReconnect();
        }
    }

    /**
     * The agent process restarts without its saved state: it forgets its tasks and opens a new session, on
     * which the backend must send every task the instance should hold.
     */
    public void restart() {
        boolean wasOpen = dropSocket();
        tasks.clear();
        synchronized (this) {
            credentialsSent = false;
            highestSequence = 0;
        }
        if (wasOpen) {
            scheduleReconnect();
        }
    }

    boolean isKilled() {
        return killed;
    }

    // ---- registration ----

    private RegisterContainerInstanceRequest registration() {
        List<Attribute> attributes = new ArrayList<>();
        // An empty value stands for a capability, which has a name only.
        profile.attributes().forEach((name, value) -> attributes.add(Attribute.builder().name(name)
                .value(value.isEmpty() ? null : value).build()));
        CAPABILITIES.forEach(name -> attributes.add(Attribute.builder().name(name).build()));
        attributes.add(Attribute.builder().name("ecs.os-type").value("linux").build());
        attributes.add(Attribute.builder().name("ecs.os-family").value("LINUX").build());
        attributes.add(Attribute.builder().name("ecs.cpu-architecture").value("x86_64").build());
        String identity = """
                {"accountId":"000000000000","architecture":"x86_64","availabilityZone":"%s","imageId":"ami-0sim",\
                "instanceId":"%s","instanceType":"%s","privateIp":"10.0.0.1","region":"%s"}"""
                .formatted(zone(), ec2InstanceId, instanceType(), shared.region());
        return RegisterContainerInstanceRequest.builder()
                .cluster(cluster)
                .instanceIdentityDocument(identity)
                .instanceIdentityDocumentSignature("")
                .totalResources(
                        Resource.builder().name("CPU").type("INTEGER").integerValue(profile.cpu()).build(),
                        Resource.builder().name("MEMORY").type("INTEGER").integerValue(profile.memory()).build(),
                        Resource.builder().name("PORTS").type("STRINGSET").stringSetValue(RESERVED_PORTS).build(),
                        Resource.builder().name("PORTS_UDP").type("STRINGSET").stringSetValue(List.of()).build())
                .attributes(attributes)
                .build();
    }

    // ---- the ACS session ----

    private void connect() {
        if (killed) {
            return;
        }
        boolean sendCredentials;
        synchronized (this) {
            sendCredentials = !credentialsSent;
        }
        URI uri = Signing.upgradeUri(acsEndpoint, acsQuery(sendCredentials));
        Signing.signedUpgrade(shared, uri).buildAsync(Signing.asWebSocket(uri), new Connection())
                .whenComplete((opened, failure) -> {
                    if (failure != null) {
                        log.debug("ACS connect of {} failed: {}", containerInstanceArn, unwrap(failure).toString());
                        scheduleReconnect();
                    }
                });
    }

    private Map<String, String> acsQuery(boolean sendCredentials) {
        Map<String, String> query = new TreeMap<>();
        query.put("agentHash", AGENT_HASH);
        query.put("agentVersion", AGENT_VERSION);
        query.put("clusterArn", cluster);
        query.put("containerInstanceArn", containerInstanceArn);
        query.put("dockerVersion", "DockerVersion: " + DOCKER_VERSION);
        query.put("protocolVersion", "2");
        query.put("sendCredentials", Boolean.toString(sendCredentials));
        query.put("seqNum", "1");
        return query;
    }

    private synchronized void opened(WebSocket webSocket) {
        if (killed) {
            webSocket.abort();
            return;
        }
        if (socket != null) {
            // One session per agent: a newer one replaces an older one, as on the server.
            socket.abort();
        }
        socket = webSocket;
        sending = CompletableFuture.completedFuture(null);
        credentialsSent = true;
        reconnectDelayMillis = 250;
        lastHeardNanos = System.nanoTime();
        connections.incrementAndGet();
        firstConnection.complete(this);
    }

    /** Forgets the current socket if it is this one; answers whether it was. */
    private synchronized boolean lost(WebSocket webSocket) {
        if (socket != webSocket) {
            return false;
        }
        socket = null;
        return true;
    }

    private synchronized boolean dropSocket() {
        WebSocket current = socket;
        socket = null;
        if (current != null) {
            current.abort();
        }
        return current != null;
    }

    private void scheduleReconnect() {
        if (killed) {
            return;
        }
        long delay;
        synchronized (this) {
            delay = (long) (reconnectDelayMillis * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
            reconnectDelayMillis = Math.min((long) (reconnectDelayMillis * 1.5), MAX_RECONNECT_DELAY.toMillis());
        }
        shared.timers().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** Drops a session that has heard nothing for too long, as the official agent does. */
    void checkSilence() {
        WebSocket current;
        synchronized (this) {
            current = socket;
        }
        if (current != null && System.nanoTime() - lastHeardNanos > SILENCE_LIMIT.toNanos()) {
            log.debug("ACS session of {} silent for too long; reconnecting", containerInstanceArn);
            dropConnection();
        }
    }

    private void send(AcsMessage message) {
        String frame = shared.codec().write(message);
        synchronized (this) {
            WebSocket current = socket;
            if (current == null) {
                return;
            }
            // A JDK websocket takes one outstanding send at a time.
            sending = sending.handle((ok, failure) -> null).thenCompose(ignored -> current.sendText(frame, true));
        }
    }

    private void received(AcsMessage message) {
        lastHeardNanos = System.nanoTime();
        switch (message) {
            case HeartbeatMessage heartbeat -> {
                heartbeats.incrementAndGet();
                send(new HeartbeatAckRequest(heartbeat.messageId()));
            }
            case PayloadMessage payload -> accept(payload);
            case TaskManifestMessage manifest -> reconcile(manifest);
            case TaskStopVerificationAck confirmed -> stopConfirmed(confirmed);
            default -> log.debug("{} ignores ACS message {}", containerInstanceArn, message);
        }
    }

    private void accept(PayloadMessage payload) {
        synchronized (this) {
            if (payload.seqNum() != null) {
                highestSequence = Math.max(highestSequence, payload.seqNum());
            }
        }
        for (AcsTask task : payload.tasks() == null ? List.<AcsTask>of() : payload.tasks()) {
            take(task);
        }
        send(new AckRequest(payload.clusterArn(), containerInstanceArn, payload.messageId()));
    }

    private void reconcile(TaskManifestMessage manifest) {
        synchronized (this) {
            long timeline = manifest.timeline() == null ? 0 : manifest.timeline();
            if (timeline <= highestSequence) {
                return;
            }
            highestSequence = timeline;
        }
        lastManifestId = manifest.messageId();
        send(new AckRequest(manifest.clusterArn(), containerInstanceArn, manifest.messageId()));
        Set<String> wanted = new HashSet<>();
        for (TaskIdentifier listed : manifest.tasks() == null ? List.<TaskIdentifier>of() : manifest.tasks()) {
            if ("RUNNING".equals(listed.desiredStatus())) {
                wanted.add(listed.taskArn());
            }
        }
        List<TaskIdentifier> candidates = tasks.values().stream()
                .filter(t -> "RUNNING".equals(t.desiredStatus()) && !wanted.contains(t.arn))
                .map(t -> new TaskIdentifier(t.arn, manifest.clusterArn(), "STOPPED"))
                .toList();
        if (!candidates.isEmpty()) {
            send(new TaskStopVerificationMessage(manifest.messageId(), candidates));
        }
    }

    private void stopConfirmed(TaskStopVerificationAck confirmed) {
        if (confirmed.messageId() == null || !confirmed.messageId().equals(lastManifestId)) {
            return;
        }
        for (TaskIdentifier stop : confirmed.stopTasks() == null ? List.<TaskIdentifier>of() : confirmed.stopTasks()) {
            SimulatedTask task = tasks.get(stop.taskArn());
            if (task != null) {
                task.desire("STOPPED");
                stop(task, STOPPED_BY_BACKEND);
            }
        }
    }

    // ---- running tasks ----

    private void take(AcsTask sent) {
        SimulatedTask task = tasks.computeIfAbsent(sent.arn(), arn -> {
            SimulatedTask fresh = new SimulatedTask(sent);
            if ("RUNNING".equals(sent.desiredStatus())) {
                shared.timers().schedule(() -> start(fresh), profile.runDelay().toMillis(), TimeUnit.MILLISECONDS);
            }
            return fresh;
        });
        task.desire(sent.desiredStatus());
        if ("STOPPED".equals(sent.desiredStatus())) {
            stop(task, STOPPED_BY_BACKEND);
        }
    }

    private void start(SimulatedTask task) {
        if (profile.failingFamilies().contains(task.family)) {
            // The container exits as it starts: the task goes from PENDING straight to STOPPED.
            if (!killed && "RUNNING".equals(task.desiredStatus())) {
                stop(task, FAILED);
            }
            return;
        }
        if (killed || !"RUNNING".equals(task.desiredStatus()) || !task.advance(SimulatedTask.Status.RUNNING)) {
            return;
        }
        List<ContainerStateChange> containers = task.containers.stream()
                .map(c -> ContainerStateChange.builder()
                        .containerName(c.name())
                        .runtimeId(UUID.randomUUID().toString().replace("-", ""))
                        .status("RUNNING")
                        .networkBindings(bindings(c))
                        .build())
                .toList();
        report(task, SubmitTaskStateChangeRequest.builder().status("RUNNING").containers(containers));
        if (ThreadLocalRandom.current().nextDouble() < profile.failureRate()) {
            shared.timers().schedule(() -> stop(task, FAILED), profile.runDelay().toMillis(), TimeUnit.MILLISECONDS);
        } else if (profile.taskRunTime() != null) {
            shared.timers().schedule(() -> stop(task, 0), profile.taskRunTime().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private List<NetworkBinding> bindings(AcsContainer container) {
        List<NetworkBinding> bindings = new ArrayList<>();
        for (PortMapping mapping : container.portMappings() == null ? List.<PortMapping>of() : container.portMappings()) {
            if (mapping.containerPort() == null) {
                continue;
            }
            int hostPort = mapping.hostPort() != null && mapping.hostPort() > 0
                    ? mapping.hostPort() : nextHostPort.getAndIncrement();
            bindings.add(NetworkBinding.builder()
                    .bindIP("0.0.0.0")
                    .containerPort(mapping.containerPort())
                    .hostPort(hostPort)
                    .protocol(mapping.protocol() == null ? "tcp" : mapping.protocol())
                    .build());
        }
        return bindings;
    }

    private void stop(SimulatedTask task, int exitCode) {
        if (killed || !task.advance(SimulatedTask.Status.STOPPED)) {
            return;
        }
        List<ContainerStateChange> containers = task.containers.stream()
                .map(c -> ContainerStateChange.builder().containerName(c.name()).status("STOPPED").exitCode(exitCode)
                        .build())
                .toList();
        report(task, SubmitTaskStateChangeRequest.builder()
                .status("STOPPED")
                .containers(containers)
                .executionStoppedAt(Instant.now()));
    }

    private void report(SimulatedTask task, SubmitTaskStateChangeRequest.Builder change) {
        SubmitTaskStateChangeRequest request = change.cluster(cluster).task(task.arn).reason("").build();
        task.enqueue(() -> submit(request, 0).thenAccept(accepted -> {
            if (accepted && "RUNNING".equals(request.status())) {
                task.runningAcknowledged();
            }
        }));
    }

    /**
     * Sends a report, retrying transport and server errors with backoff; a refused report is dropped. Answers
     * whether the backend accepted it.
     */
    private CompletableFuture<Boolean> submit(SubmitTaskStateChangeRequest request, int attempt) {
        if (killed) {
            return CompletableFuture.completedFuture(false);
        }
        byte[] body = shared.json().writeBytes(request);
        SdkHttpRequest call = Signing.signedApiCall(shared, "SubmitTaskStateChange", body);
        return ApiCalls.call(shared.apiHttp(), call, body).handle((response, failure) -> {
            if (failure == null && response.status() == 200) {
                return CompletableFuture.completedFuture(true);
            }
            // As the SDK client: a client error other than throttling is a refusal, anything else is retried.
            if (failure == null && response.status() / 100 == 4 && response.status() != 429) {
                log.warn("Report of {} refused: {} {}", request.task(), response.status(), response.body());
                return CompletableFuture.completedFuture(false);
            }
            long delay = Math.min(30_000, (long) (1000 * Math.pow(1.3, attempt)));
            CompletableFuture<Boolean> retried = new CompletableFuture<>();
            shared.timers().schedule(() -> submit(request, attempt + 1).whenComplete((accepted, e) ->
                    retried.complete(e == null && accepted)), delay, TimeUnit.MILLISECONDS);
            return retried;
        }).thenCompose(f -> f);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Listens to one websocket; events of a socket the agent has already dropped are ignored. */
    private final class Connection implements WebSocket.Listener {
        private StringBuilder partial;

        @Override
        public void onOpen(WebSocket webSocket) {
            opened(webSocket);
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            String frame;
            if (!last) {
                (partial == null ? partial = new StringBuilder() : partial).append(data);
                webSocket.request(1);
                return null;
            }
            if (partial != null) {
                frame = partial.append(data).toString();
                partial = null;
            } else {
                frame = data.toString();
            }
            webSocket.request(1);
            try {
                received(shared.codec().read(frame));
            } catch (IllegalArgumentException e) {
                log.debug("{} ignores an undecodable frame: {}", containerInstanceArn, e.getMessage());
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (lost(webSocket)) {
                log.debug("ACS session of {} closed: {} {}", containerInstanceArn, statusCode, reason);
                scheduleReconnect();
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            if (lost(webSocket)) {
                log.debug("ACS session of {} failed: {}", containerInstanceArn, error.toString());
                scheduleReconnect();
            }
        }
    }
}
