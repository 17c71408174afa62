package io.berth.control.logs;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the log store to its retention: on a schedule, deletes the events older than their group's
 * retention and the events of deleted groups and streams, a chunk at a time so that appends go on
 * between the chunks.
 */
public final class RetentionSweep implements AutoCloseable {

    /** How often the sweep runs: expired events are gone well within the hour. */
    public static final Duration PERIOD = Duration.ofMinutes(10);
    private static final int CHUNK = 10_000;
    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);

    private final LogStore store;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("berth-log-retention").daemon().factory());
    private volatile boolean closed;

    /** A sweep that runs only when asked, until {@link #start started}. */
    RetentionSweep(LogStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Sweeps now and then every period, on a thread of its own. */
    public static RetentionSweep start(LogStore store, Clock clock, Duration period) {
        RetentionSweep sweep = new RetentionSweep(store, clock);
        sweep.timer.scheduleWithFixedDelay(sweep::sweepLogged, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return sweep;
    }

    /** One sweep; answers how many events it deleted. */
    public long sweep() {
        long deleted = 0;
        long now = clock.millis();
        for (StoredGroup group : store.groupsWithRetention()) {
            long cutoff = now - Duration.ofDays(group.retentionInDays()).toMillis();
            int step;
            do {
                step = store.deleteOlderThan(group.id(), cutoff, CHUNK);
                deleted += step;
            } while (step == CHUNK && !closed);
        }
        int step;
        do {
            step = store.purgeDeleted(CHUNK);
            deleted += step;
        } while (step > 0 && !closed);
        return deleted;
    }

    private void sweepLogged() {
        try {
            long deleted = sweep();
            if (deleted > 0) {
                log.info("Log retention removed {} events", deleted);
            }
        } catch (RuntimeException e) {
            log.warn("The log retention sweep failed; it runs again in {}", PERIOD, e);
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
