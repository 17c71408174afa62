package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.Scope;
import io.berth.control.cluster.Clusters;
import io.berth.control.store.Document;
import io.berth.control.store.Store;
import io.berth.control.task.Tasks;
import io.berth.server.BerthServer;
import io.berth.server.ServerConfig;
import io.berth.server.StoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The benchmarks' stores keep working: a server started on a filled data directory serves its tasks, and a PostgreSQL
 * database is filled alike.
 */
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

    @Test
    void aPostgresDatabaseIsFilledThroughTheStoreAlike() throws Exception {
        try (EmbeddedPostgres postgres = startPostgres()) {
            StoreConfig config = StoreConfig.postgres(postgres.getJdbcUrl("postgres", "postgres"), "postgres", null);

            StoreFiller.fill(config, dataDir, 1_000, StoreFiller.DEFAULT_ACCOUNT);

            try (Store store = config.open(dataDir)) {
                String scope = new Scope("aws", StoreFiller.DEFAULT_ACCOUNT, "us-east-1").key();
                assertThat(store.list(Tasks.KIND.name(), scope)).hasSize(1_000)
                        .anySatisfy(d -> assertThat(d.id()).contains(StoreFiller.taskId(999)));
                assertThat(store.list(Clusters.KIND.name(), scope)).extracting(Document::id).containsExactly(StoreFiller.CLUSTER);
            }
        }
    }

    private static EmbeddedPostgres startPostgres() {
        try {
            return EmbeddedPostgres.builder().start();
        } catch (IOException | RuntimeException e) {
            String reason = "Filling PostgreSQL not tested: the embedded server did not start: " + e;
            System.out.println(reason);
            Assumptions.abort(reason);
            throw new IllegalStateException(reason);
        }
    }
}
