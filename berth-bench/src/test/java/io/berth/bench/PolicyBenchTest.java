package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The quick policy benchmark keeps working: root and a user with ten policies both run the whole mix. */
class PolicyBenchTest {

    @Test
    void rootAndTheUserEachRunEveryRoundWithoutRefusals() {
        PolicyBench.Result result = PolicyBench.run(new PolicyBench.Options(null, "us-east-1", null, null, 2, 4,
                Duration.ofMillis(200), Duration.ofMillis(500)));

        assertThat(result.root().principal()).endsWith(":root");
        assertThat(result.user().principal()).contains(":user/bench-policy-");
        for (PolicyBench.Runs runs : java.util.List.of(result.root(), result.user())) {
            assertThat(runs.rounds()).hasSize(2);
            assertThat(runs.operations()).extracting(Latencies.Summary::operation).containsExactly(
                    "DescribeClusters", "RegisterTaskDefinition", "DescribeTaskDefinition", "RunTask",
                    "DescribeTasks", "ListTasks");
            assertThat(runs.operations()).allSatisfy(o -> {
                assertThat(o.calls()).isPositive();
                assertThat(o.errors()).isZero();
            });
        }
        assertThat(result.ratio()).isPositive();
        assertThat(result.roundRatios()).hasSize(2);
        assertThat(result.table()).contains("user ÷ root", "total");
        assertThat(result.json()).startsWith("{\"ratio\":").contains("\"principal\":\"" + result.user().principal());
    }
}
