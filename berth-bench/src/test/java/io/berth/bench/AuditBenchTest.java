package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quick audit benchmark keeps working: both servers run the whole mix, and only one records it. */
class AuditBenchTest {

    @Test
    void bothServersRunEveryRoundAndOnlyTheAuditedOneRecords() {
        AuditBench.Result result = AuditBench.run(new AuditBench.Options("us-east-1", 2, 4, Duration.ofMillis(200),
                Duration.ofMillis(500)));

        for (PolicyBench.Runs runs : List.of(result.without(), result.with())) {
            assertThat(runs.rounds()).hasSize(2);
            assertThat(runs.operations()).allSatisfy(o -> {
                assertThat(o.calls()).isPositive();
                assertThat(o.errors()).isZero();
            });
        }
        assertThat(result.eventsWithout()).isZero();
        assertThat(result.eventsWith()).isPositive();
        assertThat(result.roundRatios()).hasSize(2);
        assertThat(result.table()).contains("with ÷ without", "total");
        assertThat(result.json()).startsWith("{\"ratio\":");
    }
}
