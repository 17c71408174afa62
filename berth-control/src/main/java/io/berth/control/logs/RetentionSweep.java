package io.berth.control.logs;

import io.berth.control.Periodic;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the log store to its retention: on a schedule, deletes the events older than their group's
 * retention and the events of deleted groups and streams, a chunk at a time so that appends go on
 * between the chunks.
 */
public final class RetentionSweep {

    /** How often the sweep runs: expired events are gone well within the hour. */
    public static final Duration PERIOD = Duration.ofMinutes(10);
    private static final int CHUNK = 10_000;
    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);

    private final LogStore store;
    private final Clock clock;

    /** A sweep that runs only when asked. */
    RetentionSweep(LogStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Sweeps now and then every period, on a thread of its own, until the answer is closed. */
    public static Periodic start(LogStore store, Clock clock, Duration period) {
        RetentionSweep sweep = new RetentionSweep(store, clock);
        return Periodic.start("berth-log-retention", Duration.ZERO, period, sweep::sweepLogged);
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
            } while (step == CHUNK && !Periodic.stopping());
        }
        int step;
        do {
            step = store.purgeDeleted(CHUNK);
            deleted += step;
        } while (step > 0 && !Periodic.stopping());
        return deleted;
    }

    private void sweepLogged() {
        long deleted = sweep();
        if (deleted > 0) {
            log.info("Log retention removed {} events", deleted);
        }
    }
}
