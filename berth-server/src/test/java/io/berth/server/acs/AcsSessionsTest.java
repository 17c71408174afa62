package io.berth.server.acs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Agent message sequence numbers keep rising across restarts and across the leaders of several nodes. */
class AcsSessionsTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void aLaterStartNumbersAboveAnEarlierOne() {
        try (AcsSessions earlier = new AcsSessions(Clock.offset(NOW, java.time.Duration.ofMinutes(-5)));
             AcsSessions later = new AcsSessions(NOW)) {
            assertThat(later.nextSequence()).isGreaterThan(earlier.nextSequence());
        }
    }

    @Test
    void aNewLeaderNumbersAboveWhatItsPredecessorRecordedEvenWhenThatRanAheadOfTheClock() {
        long predecessorSent;
        try (AcsSessions predecessor = new AcsSessions(NOW)) {
            predecessorSent = predecessor.lastSequence() + 5_000_000;
        }

        try (AcsSessions leader = new AcsSessions(NOW, predecessorSent)) {
            assertThat(leader.nextSequence()).isGreaterThan((int) predecessorSent);
            assertThat(leader.lastSequence()).isGreaterThan(predecessorSent);
        }
    }

    @Test
    void withoutARecordedNumberTheClockDecides() {
        try (AcsSessions first = new AcsSessions(NOW, 0); AcsSessions plain = new AcsSessions(NOW)) {
            assertThat(first.lastSequence()).isEqualTo(plain.lastSequence());
        }
    }
}
