package io.berth.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SinceCounterTest {

    @Test
    void thePositionTrailsTheNewestSecondByOneAndCountsFromThere() {
        SinceCounter counter = new SinceCounter(LogPosition.START);
        counter.consumed(100, 3);
        counter.consumed(101, 2);
        counter.consumed(102, 4);

        assertThat(counter.position()).isEqualTo(new LogPosition(101, 6, false));
    }

    @Test
    void aLineALittleOutOfTimeOrderIsStillCounted() {
        SinceCounter counter = new SinceCounter(LogPosition.START);
        counter.consumed(200, 1);
        counter.consumed(201, 1);
        // stderr's reader wrote an older line after a newer one
        counter.consumed(200, 1);

        assertThat(counter.position()).isEqualTo(new LogPosition(200, 3, false));
    }

    @Test
    void aResumedCounterStaysAtItsStartUntilItHasSeenTheLinesItSkipsAgain() {
        LogPosition start = new LogPosition(300, 5, false);
        SinceCounter counter = new SinceCounter(start);
        counter.consumed(300, 3);

        assertThat(counter.position()).isEqualTo(start);

        counter.consumed(301, 2);
        assertThat(counter.position()).isEqualTo(new LogPosition(300, 5, false));
        counter.consumed(305, 1);
        assertThat(counter.position()).isEqualTo(new LogPosition(304, 1, false));
    }

    @Test
    void shippedProgressMovesOnlyWithAcknowledgedLines() {
        ShipProgress progress = new ShipProgress(LogPosition.START);
        for (long seq = 1; seq <= 6; seq++) {
            progress.read(seq, seq <= 3 ? 50 : 51);
        }

        assertThat(progress.position()).isEqualTo(LogPosition.START);
        progress.shippedThrough(2);
        assertThat(progress.position()).isEqualTo(new LogPosition(49, 2, false));
        progress.shippedThrough(5);
        assertThat(progress.position()).isEqualTo(new LogPosition(50, 5, false));
        progress.shippedThrough(5);
        assertThat(progress.position()).isEqualTo(new LogPosition(50, 5, false));
        progress.shippedThrough(6);
        assertThat(progress.position()).isEqualTo(new LogPosition(50, 6, false));
    }

    @Test
    void linesShippedByAnEarlierRunCountBeforeNewOnes() {
        LogPosition start = new LogPosition(70, 2, false);
        ShipProgress progress = new ShipProgress(start);
        progress.alreadyShipped(70);
        progress.alreadyShipped(71);
        progress.read(1, 72);

        assertThat(progress.position()).isEqualTo(new LogPosition(70, 2, false));
        progress.shippedThrough(1);
        assertThat(progress.position()).isEqualTo(new LogPosition(71, 2, false));
    }
}
