package io.berth.control.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the trail to CloudTrail's event history: on a schedule, deletes the events older than 90 days,
 * a chunk at a time so that recording goes on between the chunks.
 */
public final class AuditRetention implements AutoCloseable {

    /** How long events are kept, as CloudTrail's event history keeps them. */
    public static final Duration RETENTION = Duration.ofDays(90);
    /** How often the sweep runs. */
    public static final Duration PERIOD = Duration.ofMinutes(10);
    private static final int CHUNK = 10_000;
    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

    private final AuditStore store;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("berth-audit-retention").daemon().factory());
    private volatile boolean closed;

    /** A sweep that runs only when asked, until {@link #start started}. */
    public AuditRetention(AuditStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Sweeps now and then every period, on a thread of its own. */
    public static AuditRetention start(AuditStore store, Clock clock, Duration period) {
        AuditRetention sweep = new AuditRetention(store, clock);
        sweep.timer.scheduleWithFixedDelay(sweep::sweepLogged, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return sweep;
    }

    /** One sweep; answers how many events it deleted. */
    public long sweep() {
        long cutoff = clock.millis() - RETENTION.toMillis();
        long deleted = 0;
        int step;
        do {
            step = store.deleteOlderThan(cutoff, CHUNK);
            deleted += step;
        } while (step == CHUNK && !closed);
        return deleted;
    }

    private void sweepLogged() {
        try {
            long deleted = sweep();
            if (deleted > 0) {
                log.info("Audit retention removed {} events", deleted);
            }
        } catch (RuntimeException e) {
            log.warn("The audit retention sweep failed; it runs again in {}", PERIOD, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
