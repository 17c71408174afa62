package io.berth.agent.engine;

import static io.berth.agent.AcsFixtures.container;
import static io.berth.agent.AcsFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.agent.docker.PortBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path directory;

    private static TaskRecord record() {
        ContainerRecord app = new ContainerRecord("app", "busybox", "abc123", "ecs-test-1-app-00", "endpoint-1",
                Status.RUNNING, Status.RUNNING, null, null, "healthy", Instant.parse("2026-01-01T00:00:05Z"),
                List.of(new PortBinding(80, "tcp", "0.0.0.0", 32768)),
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:01Z"), null);
        return new TaskRecord(task("arn:aws:ecs:us-east-1:123456789012:task/test/1", container("app", "sleep 1")),
                "RUNNING", Status.RUNNING, Status.RUNNING, null, null, null, null, null, Map.of("data", "/srv"),
                List.of(), List.of(app));
    }

    @Test
    void whatIsSavedIsWhatTheNextRunLoads() {
        Path file = directory.resolve("state/agent.json");
        Checkpoint first = Checkpoint.at(file);
        first.saveInstanceArn("arn:aws:ecs:us-east-1:123456789012:container-instance/test/1");
        first.saveTasks(List.of(record()));

        Checkpoint second = Checkpoint.at(file);

        assertThat(second.instanceArn()).isEqualTo("arn:aws:ecs:us-east-1:123456789012:container-instance/test/1");
        assertThat(second.tasks()).containsExactly(record());
    }

    @Test
    void savingLeavesNoTemporaryFilesBehind() throws Exception {
        Path file = directory.resolve("agent.json");
        Checkpoint checkpoint = Checkpoint.at(file);

        checkpoint.saveTasks(List.of(record()));
        checkpoint.saveTasks(List.of());

        try (var files = Files.list(directory)) {
            assertThat(files).containsExactly(file);
        }
        assertThat(Checkpoint.at(file).tasks()).isEmpty();
    }

    @Test
    void aMissingFileIsAnEmptyCheckpoint() {
        Checkpoint checkpoint = Checkpoint.at(directory.resolve("absent.json"));

        assertThat(checkpoint.instanceArn()).isNull();
        assertThat(checkpoint.tasks()).isEmpty();
    }
}
