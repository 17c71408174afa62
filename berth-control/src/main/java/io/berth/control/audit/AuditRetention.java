package io.berth.control.audit;

import io.berth.control.Periodic;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the trail to CloudTrail's event history: on a schedule, deletes the events older than 90 days,
 * a chunk at a time so that recording goes on between the chunks.
 */
public final class AuditRetention {

    /** How long events are kept, as CloudTrail's event history keeps them. */
    public static final Duration RETENTION = Duration.ofDays(90);
    /** How often the sweep runs. */
    public static final Duration PERIOD = Duration.ofMinutes(10);
    private static final int CHUNK = 10_000;
    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

    private final AuditStore store;
    private final Clock clock;

    /** A sweep that runs only when asked. */
    public AuditRetention(AuditStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Sweeps now and then every period, on a thread of its own, until the answer is closed. */
    public static Periodic start(AuditStore store, Clock clock, Duration period) {
        AuditRetention sweep = new AuditRetention(store, clock);
        return Periodic.start("berth-audit-retention", Duration.ZERO, period, sweep::sweepLogged);
    }

    /** One sweep; answers how many events it deleted. */
    public long sweep() {
        long cutoff = clock.millis() - RETENTION.toMillis();
        long deleted = 0;
        int step;
        do {
            step = store.deleteOlderThan(cutoff, CHUNK);
            deleted += step;
        } while (step == CHUNK && !Periodic.stopping());
        return deleted;
    }

    private void sweepLogged() {
        long deleted = sweep();
        if (deleted > 0) {
            log.info("Audit retention removed {} events", deleted);
        }
    }
}
