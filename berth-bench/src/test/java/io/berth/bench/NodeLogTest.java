package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/** A node's log tells when it last took the leader lease and how long it took to load the state then. */
class NodeLogTest {

    private static String tookLease(String time, long epoch) {
        return time + " INFO  i.b.s.n.Leadership - This node (node-a) took the leader lease, epoch " + epoch
                + "; loading the state\n";
    }

    private static String leads(String time, long epoch, long millis) {
        return time + " INFO  i.b.s.n.Leadership - This node leads (epoch " + epoch + "); took over in " + millis
                + " ms\n";
    }

    @Test
    void theLastTakeoverIsReadWithTheLoadOfItsOwnEpoch() {
        String log = tookLease("10:00:00.100", 1) + leads("10:00:01.000", 1, 900)
                + "Berth is listening on http://127.0.0.1:8773 (account 123456789012)\n"
                + tookLease("10:05:07.250", 4) + leads("10:05:09.000", 4, 1750);

        assertThat(NodeLog.lastTakeover(log)).contains(new NodeLog.Takeover(LocalTime.of(10, 5, 7, 250_000_000), 4, 1750));
    }

    @Test
    void aTakeoverStillLoadingHasNoLoadTimeYet() {
        String log = tookLease("10:00:00.100", 1) + leads("10:00:01.000", 1, 900) + tookLease("10:05:07.250", 4);

        assertThat(NodeLog.lastTakeover(log)).hasValueSatisfying(t -> {
            assertThat(t.epoch()).isEqualTo(4);
            assertThat(t.loadMillis()).isEqualTo(-1);
        });
    }

    @Test
    void aNodeThatOnlyFollowedHasNoTakeover() {
        String log = "10:00:00.100 INFO  i.b.s.n.Leadership - Following the leader node-a at http://127.0.0.1:1 (epoch 1)\n"
                + "Berth is listening on http://127.0.0.1:8774 (following http://127.0.0.1:1)\n";

        assertThat(NodeLog.lastTakeover(log)).isEmpty();
        assertThat(NodeLog.lastTakeover("")).isEmpty();
    }

    @Test
    void secondsBetweenTimesOfDayCountForwardAcrossMidnight() {
        assertThat(NodeLog.secondsBetween(LocalTime.of(10, 0, 0), LocalTime.of(10, 0, 12, 500_000_000)))
                .isEqualTo(12.5);
        assertThat(NodeLog.secondsBetween(LocalTime.of(23, 59, 58), LocalTime.of(0, 0, 3))).isEqualTo(5.0);
        assertThat(NodeLog.secondsBetween(LocalTime.NOON, LocalTime.NOON)).isZero();
    }
}
