package io.berth.server.acs;

import io.berth.control.Scope;
import io.berth.control.agent.AgentDispatch;
import io.berth.control.agent.AgentLink;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.IAMRoleCredentialsMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * The live ACS sessions, one per container instance (a newer session replaces an older one), the
 * timers that keep them alive, and the link through which the control plane reaches agents.
 */
public final class AcsSessions implements AgentLink, AutoCloseable {

    /** Agents drop a session that hears nothing for about a minute. */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(20);
    public static final Duration MANIFEST_INTERVAL = Duration.ofMinutes(1);
    /** How often task credentials are checked for a refresh; they are refreshed at half their lifetime. */
    public static final Duration CREDENTIALS_CHECK_INTERVAL = Duration.ofSeconds(2);

    private final Map<String, AcsSession> byInstance = new ConcurrentHashMap<>();
    private final Set<TcsSession> telemetrySessions = ConcurrentHashMap.newKeySet();
    private final Telemetry telemetry = new Telemetry();
    private final ScheduledExecutorService timers;
    private final AtomicInteger sequence;
    /** How far a new leader starts above the number its predecessor last recorded. */
    private static final long LEADER_HANDOVER_GAP = 1_000_000;

    public AcsSessions(Clock clock) {
        this(clock, 0);
    }

    /**
     * @param floor the highest sequence number an earlier leader of the same store recorded; numbers start above it
     *     by more than any leader sends between two renewals of its lease, which record its latest number
     */
    public AcsSessions(Clock clock, long floor) {
        // Sequence numbers must keep rising across server restarts: agents discard manifests whose
        // timeline is not above the highest number they have seen. Eight per second since a fixed
        // epoch keeps ahead of any earlier run for years within an int.
        long seconds = clock.instant().getEpochSecond() - 1_750_000_000L;
        long start = Math.max(Math.max(1, seconds * 8), floor > 0 ? floor + LEADER_HANDOVER_GAP : 0);
        this.sequence = new AtomicInteger((int) Math.min(Integer.MAX_VALUE / 2, start));
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon(true)
                .name("berth-acs-timers").unstarted(r));
        timers.scheduleAtFixedRate(this::heartbeats,
                HEARTBEAT_INTERVAL.toMillis(), HEARTBEAT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(() -> byInstance.values().forEach(AcsSession::manifest),
                MANIFEST_INTERVAL.toMillis(), MANIFEST_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void heartbeats() {
        byInstance.values().forEach(AcsSession::heartbeat);
        telemetrySessions.forEach(TcsSession::heartbeat);
    }

    void telemetryOpened(TcsSession session) {
        telemetrySessions.add(session);
    }

    void telemetryClosed(TcsSession session) {
        telemetrySessions.remove(session);
    }

    public Telemetry telemetry() {
        return telemetry;
    }

    int nextSequence() {
        return sequence.incrementAndGet();
    }

    /** The last sequence number given out. */
    public long lastSequence() {
        return sequence.get();
    }

    void opened(AcsSession session) {
        byInstance.put(session.containerInstanceArn(), session);
    }

    /** Forgets the session; answers whether it was the instance's current one. */
    boolean closed(AcsSession session) {
        return byInstance.remove(session.containerInstanceArn(), session);
    }

    public boolean isConnected(String containerInstanceArn) {
        return byInstance.containsKey(containerInstanceArn);
    }

    public int size() {
        return byInstance.size();
    }

    @Override
    public void send(Scope scope, String containerInstanceArn, List<AcsTask> tasks) {
        AcsSession session = byInstance.get(containerInstanceArn);
        if (session != null && session.scope().equals(scope)) {
            session.deliver(tasks);
        }
    }

    @Override
    public void sendCredentials(Scope scope, String containerInstanceArn, IAMRoleCredentialsMessage credentials) {
        AcsSession session = byInstance.get(containerInstanceArn);
        if (session != null && session.scope().equals(scope)) {
            session.deliverCredentials(credentials);
        }
    }

    /** Runs the dispatch's credential refresh on the session timers, every {@code interval}. */
    public void refreshCredentials(AgentDispatch dispatch, Duration interval) {
        timers.scheduleWithFixedDelay(() -> {
            try {
                dispatch.refreshCredentials();
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(AcsSessions.class).warn("Refreshing task credentials failed", e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the timers and ends every agent's sessions, which then find the node that answers agents now. */
    @Override
    public void close() {
        timers.shutdownNow();
        String reason = "This Berth node no longer answers agents";
        byInstance.values().forEach(session -> session.goAway(reason));
        telemetrySessions.forEach(session -> session.goAway(reason));
    }
}
