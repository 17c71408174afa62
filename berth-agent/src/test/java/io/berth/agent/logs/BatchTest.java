package io.berth.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchTest {

    private static final long T0 = 1_740_000_000_000L;

    @Test
    void tenThousandEventsFillABatch() {
        Batch batch = new Batch();
        for (int i = 0; i < Batch.MAX_EVENTS; i++) {
            assertThat(batch.fits(event(T0, "x", i))).isTrue();
            batch.add(event(T0, "x", i));
        }

        assertThat(batch.full()).isTrue();
        assertThat(batch.fits(event(T0, "x", 0))).isFalse();
    }

    @Test
    void bytesCountTwentySixPerEventOnTopOfTheMessage() {
        Batch batch = new Batch();
        String message = "m".repeat(1000);
        for (int i = 0; i < 1021; i++) {
            batch.add(event(T0, message, i));
        }

        assertThat(batch.bytes()).isEqualTo(1021 * 1026);
        assertThat(batch.fits(event(T0, "m".repeat(Batch.MAX_BYTES - batch.bytes() - 26), 0))).isTrue();
        assertThat(batch.fits(event(T0, "m".repeat(Batch.MAX_BYTES - batch.bytes() - 25), 0))).isFalse();
    }

    @Test
    void aBatchSpansAtMostADay() {
        Batch batch = new Batch();
        batch.add(event(T0, "a", 1));
        long day = Duration.ofDays(1).toMillis();

        assertThat(batch.fits(event(T0 + day, "b", 2))).isTrue();
        assertThat(batch.fits(event(T0 + day + 1, "b", 2))).isFalse();
        assertThat(batch.fits(event(T0 - day - 1, "b", 2))).isFalse();
    }

    @Test
    void eventsGoOutInTimeOrderKeepingReadOrderForEqualTimes() {
        Batch batch = new Batch();
        batch.add(event(T0 + 5, "stdout late", 1));
        batch.add(event(T0 + 2, "stderr early", 2));
        batch.add(event(T0 + 5, "stdout later", 3));

        assertThat(batch.inTimeOrder()).extracting(LogEvent::message)
                .containsExactly("stderr early", "stdout late", "stdout later");
        assertThat(batch.shippedThrough()).isEqualTo(3);
    }

    @Test
    void aClearedBatchStartsAgain() {
        Batch batch = new Batch();
        batch.add(event(T0, "a", 1));
        batch.clear();

        assertThat(batch.isEmpty()).isTrue();
        assertThat(batch.bytes()).isZero();
        assertThat(batch.fits(event(T0 + Duration.ofDays(3).toMillis(), "b", 2))).isTrue();
    }

    private static LogEvent event(long timestamp, String message, long seq) {
        return new LogEvent(timestamp, message, EventGrouper.utf8Length(message), seq);
    }
}
