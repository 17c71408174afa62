package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.audit.AuditQuery;
import io.berth.control.audit.AuditRecord;
import io.berth.control.audit.AuditRetention;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail keeps 90 days of events, as CloudTrail's event history. */
class AuditRetentionTest {

    private static final String SCOPE = "aws:123456789012:us-east-1";
    private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theSweepDeletesEventsOlderThan90DaysAndKeepsTheRest() {
        try (SqlAuditStore store = SqlAuditStore.sqlite(dir.resolve("audit.db"))) {
            store.append(record(NOW.minus(Duration.ofDays(200)), "LongGone"));
            store.append(record(NOW.minus(Duration.ofDays(90)).minusSeconds(1), "JustExpired"));
            store.append(record(NOW.minus(Duration.ofDays(89)), "Kept"));
            store.append(record(NOW, "New"));

            long deleted = new AuditRetention(store, Clock.fixed(NOW, ZoneOffset.UTC)).sweep();

            assertThat(deleted).isEqualTo(2);
            assertThat(store.lookup(new AuditQuery(SCOPE, null, null, 0, Long.MAX_VALUE, null, 10)))
                    .extracting(AuditRecord::eventName).containsExactly("New", "Kept");
            assertThat(new AuditRetention(store, Clock.fixed(NOW, ZoneOffset.UTC)).sweep()).isZero();
        }
    }

    private static AuditRecord record(Instant time, String name) {
        String id = UUID.randomUUID().toString();
        return new AuditRecord(SCOPE, id, time.toEpochMilli(), name, "ecs.amazonaws.com", false, "root", null,
                List.of(), "{}");
    }
}
