package io.berth.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EventBufferTest {

    @Test
    void nonBlockingDeliveryDropsWhatDoesNotFitAndCountsIt() throws Exception {
        EventBuffer buffer = new EventBuffer(2 * (10 + 26));

        assertThat(buffer.offer(event("0123456789"))).isTrue();
        assertThat(buffer.offer(event("0123456789"))).isTrue();
        assertThat(buffer.offer(event("0123456789"))).isFalse();
        assertThat(buffer.dropped()).isEqualTo(1);

        buffer.poll(Duration.ZERO);
        assertThat(buffer.offer(event("0123456789"))).isTrue();
        assertThat(buffer.dropped()).isEqualTo(1);
    }

    @Test
    void blockingDeliveryWaitsForRoom() throws Exception {
        EventBuffer buffer = new EventBuffer(40);
        buffer.put(event("first"));
        AtomicBoolean second = new AtomicBoolean();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                buffer.put(event("second"));
                second.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        assertThat(buffer.poll(Duration.ofSeconds(5)).message()).isEqualTo("first");
        await().untilTrue(second);
        assertThat(buffer.poll(Duration.ofSeconds(5)).message()).isEqualTo("second");
        assertThat(buffer.dropped()).isZero();
        writer.join();
    }

    @Test
    void anEventBiggerThanTheBufferPassesAlone() throws Exception {
        EventBuffer buffer = new EventBuffer(10);

        assertThat(buffer.offer(event("far more than ten bytes"))).isTrue();
        assertThat(buffer.offer(event("x"))).isFalse();
    }

    @Test
    void closingReleasesAWaitingWriter() throws Exception {
        EventBuffer buffer = new EventBuffer(30);
        buffer.put(event("full"));
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                buffer.put(event("waits"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        buffer.close();
        writer.join();
        assertThat(buffer.poll(Duration.ZERO).message()).isEqualTo("full");
        assertThat(buffer.poll(Duration.ZERO)).isNull();
    }

    private static LogEvent event(String message) {
        return new LogEvent(0, message, message.length(), 1);
    }
}
