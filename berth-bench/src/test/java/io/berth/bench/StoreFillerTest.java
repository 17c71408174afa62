package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.server.BerthServer;
import io.berth.server.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;

/** The restart benchmark's store keeps working: a server started on a filled data directory serves its tasks. */
class StoreFillerTest {

    @TempDir
    Path dataDir;

    @Test
    void aServerStartedOnAFilledStoreDescribesAndListsItsTasks() throws Exception {
        StoreFiller.fill(dataDir, 1_000, StoreFiller.DEFAULT_ACCOUNT);

        try (BerthServer server = BerthServer.start(new ServerConfig("127.0.0.1", 0, dataDir, "us-east-1",
                StoreFiller.DEFAULT_ACCOUNT, "aws", true, null));
                AsyncEcs client = new AsyncEcs(server.endpoint(), "us-east-1", "bench", "bench", 2)) {
            List<String> ids = IntStream.range(0, 100).mapToObj(StoreFiller::taskId).toList();
            List<Task> tasks = client.ecs.describeTasks(r -> r.cluster(StoreFiller.CLUSTER).tasks(ids)).join().tasks();
            List<String> stopped = client.ecs.listTasks(r -> r.cluster(StoreFiller.CLUSTER)
                    .desiredStatus(DesiredStatus.STOPPED)).join().taskArns();
            List<String> running = client.ecs.listTasks(r -> r.cluster(StoreFiller.CLUSTER).maxResults(100)).join()
                    .taskArns();

            assertThat(tasks).hasSize(100);
            assertThat(tasks).filteredOn(t -> "RUNNING".equals(t.lastStatus())).hasSize(1);
            assertThat(tasks).filteredOn(t -> "STOPPED".equals(t.lastStatus()))
                    .hasSize(99).allSatisfy(t -> assertThat(t.stoppedAt()).isAfter(t.startedAt()));
            assertThat(stopped).hasSize(100);
            assertThat(running).hasSize(10);
        }
    }
}
