package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.iam.AccessKey;
import io.berth.server.BerthServer;
import io.berth.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick API benchmark keeps working: a short run against a real server yields figures for every operation. */
class ApiBenchTest {

    @TempDir
    Path dataDir;

    @Test
    void aShortRunMeasuresEveryOperationOfTheMix() {
        try (BerthServer server = BerthServer.start(new ServerConfig("127.0.0.1", 0, dataDir, "us-east-1", null, "aws",
                false, null))) {
            AccessKey key = server.firstKey();
            ApiBench.Result result = ApiBench.run(new ApiBench.Options(server.endpoint(), "us-east-1",
                    key.accessKeyId(), key.secretAccessKey(), "bench-quick", List.of("i-0quick"), 4,
                    Duration.ofMillis(200), Duration.ofSeconds(1)));

            assertThat(result.operations()).extracting(Latencies.Summary::operation).containsExactly(
                    "DescribeClusters", "RegisterTaskDefinition", "DescribeTaskDefinition", "RunTask",
                    "DescribeTasks", "ListTasks");
            assertThat(result.operations()).allSatisfy(o -> {
                assertThat(o.calls()).isPositive();
                assertThat(o.errors()).isZero();
                assertThat(o.p99Millis()).isGreaterThanOrEqualTo(o.p50Millis());
            });
            assertThat(result.table()).contains("RunTask", "total");
            assertThat(result.json()).startsWith("{\"seconds\":").contains("\"operation\":\"ListTasks\"");
        }
    }

    @Test
    void aRunOfSomeOperationsMeasuresThoseAloneThroughAnyEndpointOfTheService() {
        try (BerthServer server = BerthServer.start(new ServerConfig("127.0.0.1", 0, dataDir, "us-east-1", null, "aws",
                false, null))) {
            AccessKey key = server.firstKey();
            try (ApiBench bench = ApiBench.prepared(new ApiBench.Options(server.endpoint(), "us-east-1",
                    key.accessKeyId(), key.secretAccessKey(), "bench-some", List.of("i-0some"), 2,
                    Duration.ofMillis(200), Duration.ofMillis(500)));
                    ApiBench again = bench.through(server.endpoint())) {
                ApiBench.Result result = again.drive(Duration.ofMillis(500), List.of("RunTask", "DescribeClusters"));

                assertThat(result.operations()).extracting(Latencies.Summary::operation)
                        .containsExactly("DescribeClusters", "RunTask");
                assertThat(result.operations()).allSatisfy(o -> {
                    assertThat(o.calls()).isPositive();
                    assertThat(o.errors()).isZero();
                });
            }
        }
    }

    @Test
    void aRunOfOperationsOutsideTheMixIsRefusedBeforeAnyCall() {
        try (BerthServer server = BerthServer.start(new ServerConfig("127.0.0.1", 0, dataDir, "us-east-1", null, "aws",
                false, null))) {
            AccessKey key = server.firstKey();
            try (ApiBench bench = ApiBench.prepared(new ApiBench.Options(server.endpoint(), "us-east-1",
                    key.accessKeyId(), key.secretAccessKey(), "bench-none", List.of("i-0none"), 2,
                    Duration.ofMillis(200), Duration.ofMillis(500)))) {
                assertThatThrownBy(() -> bench.drive(Duration.ofMillis(500), List.of("DeleteCluster")))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DeleteCluster");
                assertThatThrownBy(() -> bench.drive(Duration.ofMillis(500), List.of()))
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
    }
}
