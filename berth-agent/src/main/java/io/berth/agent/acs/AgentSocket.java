package io.berth.agent.acs;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * One of the agent's websockets to the control plane (ACS or telemetry), kept open: it connects to
 * {@code <endpoint>/ws} with a signed upgrade, hands each text frame to its {@link Channel} on one handler thread,
 * reconnects when the server goes quiet or the connection has lived its time, and otherwise with backoff. A refused
 * upgrade naming {@code InactiveInstanceException} means the instance was deregistered: the socket then waits long
 * before trying again.
 */
final class AgentSocket implements AutoCloseable {

    /** What travels on the socket. */
    interface Channel {

        /** The upgrade's query parameters, asked for on every connection attempt. */
        SortedMap<String, String> query();

        /** The upgrade succeeded. */
        default void connected() {
        }

        /** A text frame from the server, on the handler thread; false when it could not be understood. */
        boolean received(String frame);
    }

    private static final Logger LOG = LoggerFactory.getLogger(AgentSocket.class);
    /** Close codes after which the official agent reconnects at once. */
    private static final Set<Integer> IMMEDIATE_RECONNECT = Set.of(1000, 1001, 1006, 1011);
    private static final Duration STABLE_CONNECTION = Duration.ofMinutes(1);

    private final String name;
    private final AcsSettings settings;
    private final SessionEndpoint endpoint;
    private final AwsCredentialsProvider credentials;
    private final Channel channel;
    private final UpgradeSigner signer;
    private final HttpClient http;
    private final ExecutorService handler;
    private final Object sleeper = new Object();

    private volatile boolean closed;
    private volatile boolean deregistered;
    private volatile WebSocket socket;
    private volatile Connection connection;
    private volatile URI connectedTo;
    private Thread loop;

    /** @param name what logs and thread names call this socket, e.g. {@code ACS} */
    AgentSocket(String name, AcsSettings settings, SessionEndpoint endpoint, AwsCredentialsProvider credentials,
            Channel channel) {
        this.name = name;
        this.settings = settings;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.channel = channel;
        this.signer = new UpgradeSigner(settings.region(), Clock.systemUTC());
        this.http = settings.serverTrust().httpClient().connectTimeout(Duration.ofSeconds(30)).build();
        this.handler = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name(name.toLowerCase() + "-handler").factory());
    }

    synchronized void start() {
        if (loop == null) {
            loop = Thread.ofPlatform().daemon().name(name.toLowerCase() + "-session").start(this::connectLoop);
        }
    }

    boolean connected() {
        return socket != null;
    }

    boolean deregistered() {
        return deregistered;
    }

    /** Sends a text frame on the open connection, one send at a time as the JDK websocket requires. */
    void send(String frame) {
        WebSocket current = socket;
        if (current == null) {
            throw new IllegalStateException(name + " is not connected");
        }
        synchronized (this) {
            current.sendText(frame, true).orTimeout(30, TimeUnit.SECONDS).join();
        }
    }

    /** Sends {@code json} behind the header block of a request to this socket's URI signed over it (telemetry). */
    void sendSigned(String json) {
        URI uri = connectedTo;
        if (socket == null || uri == null) {
            throw new IllegalStateException(name + " is not connected");
        }
        send(signer.signedFrame(uri, json, credentials.resolveCredentials()));
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
                    LOG.info("{} connection closed ({}), reconnecting", name, closeCode);
                    continue;
                }
                LOG.info("{} connection ended ({})", name, closeCode);
            } catch (Refused refused) {
                if (refused.body().contains("InactiveInstanceException")) {
                    deregistered = true;
                    LOG.warn("{} refused this container instance as inactive (deregistered): {}", name,
                            refused.body());
                    pause(settings.deregisteredWait());
                    continue;
                }
                LOG.warn("{} refused the connection: HTTP {} {}", name, refused.status(), refused.body());
                if (refused.status() == 503) {
                    endpoint.unreachable();
                }
            } catch (RuntimeException e) {
                LOG.warn("Cannot connect to {}: {}", name, e.getMessage());
                endpoint.unreachable();
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
        String base = endpoint.get();
        if (base == null || base.isBlank()) {
            throw new IllegalStateException("DiscoverPollEndpoint returned no " + name + " endpoint");
        }
        URI baseUri = URI.create(base);
        if (!"http".equals(baseUri.getScheme()) && !"https".equals(baseUri.getScheme())) {
            throw new IllegalStateException("Unsupported " + name + " endpoint scheme: " + base);
        }
        UpgradeSigner.SignedUpgrade upgrade = signer.sign(baseUri, "/ws", channel.query(),
                credentials.resolveCredentials());

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
            throw new IllegalStateException(name + " handshake timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while connecting to " + name, e);
        }
        connectedTo = upgrade.uri();
        channel.connected();
        LOG.info("Connected to {} at {}", name, baseUri);
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
            Thread.ofPlatform().daemon().name(name.toLowerCase() + "-watchdog").start(() -> {
                while (!ended.isDone() && !closed) {
                    try {
                        ended.get(1, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        Instant now = Instant.now();
                        if (now.isAfter(lastMessage.plus(idleLimit))) {
                            LOG.warn("No message from {} for {}, reconnecting", name, idleLimit);
                            webSocket.abort();
                            ended.complete(1006);
                        } else if (now.isAfter(expires)) {
                            webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "ConnectionExpired: Reconnect to continue");
                            webSocket.abort();
                            ended.complete(WebSocket.NORMAL_CLOSURE);
                        }
                    } catch (InterruptedException | ExecutionException e) {
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
                handler.execute(() -> {
                    // undecodable frames do not count as a sign of life
                    if (channel.received(frame)) {
                        lastMessage = Instant.now();
                    }
                });
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            LOG.info("{} closed the connection: {} {}", name, statusCode, reason);
            ended.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            LOG.warn("{} connection failed: {}", name, error.getMessage());
            ended.complete(1006);
        }
    }
}
