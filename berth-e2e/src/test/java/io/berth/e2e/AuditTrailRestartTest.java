package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.ecs.EcsClient;

/** Every call answered is in the audit trail after the server is killed with SIGKILL and started again. */
class AuditTrailRestartTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @Test
    void everyAnsweredCallIsInTheTrailAfterASigkill() throws Exception {
        Path data = dir.resolve("data");
        BerthProcess berth = servers.start(data);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try (EcsClient ecs = BerthProcess.client(data, berth.port())) {
            List<Future<?>> calls = IntStream.range(0, 40).<Future<?>>mapToObj(
                    i -> callers.submit(() -> ecs.createCluster(r -> r.clusterName("durable-" + i)))).toList();
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            callers.shutdown();
        }
        berth.kill();

        BerthProcess restarted = servers.start(data);
        try (CloudTrailClient trail = RunningBerth.client(CloudTrailClient.builder(),
                restarted.endpoint(), restarted.trust(), BerthProcess.credentials(data))) {
            List<String> created = trail.lookupEventsPaginator(r -> r.lookupAttributes(a -> a
                    .attributeKey(LookupAttributeKey.EVENT_NAME).attributeValue("CreateCluster"))).events().stream()
                    .flatMap(e -> e.resources().stream()).map(r -> r.resourceName()).toList();

            assertThat(created).containsExactlyInAnyOrderElementsOf(
                    IntStream.range(0, 40).mapToObj(i -> "durable-" + i).toList());
        }
    }
}
