package io.berth.agent.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

    @TempDir
    Path directory;

    @Test
    void theFileAndItsDirectoryAreCreatedThenReplacedWholeLeavingNoTemporaryFile() throws IOException {
        Path file = directory.resolve("state/positions.json");

        DurableFiles.replace(file, bytes("first"));
        DurableFiles.replace(file, bytes("second"));

        assertThat(Files.readString(file)).isEqualTo("second");
        try (var listed = Files.list(file.getParent())) {
            assertThat(listed).containsExactly(file);
        }
    }

    @Test
    void aFileThatCannotBeReplacedKeepsItsContentAndLeavesNoTemporaryFile() throws IOException {
        Path occupied = directory.resolve("occupied");
        Files.createDirectories(occupied.resolve("child"));

        assertThatThrownBy(() -> DurableFiles.replace(occupied, bytes("new"))).isInstanceOf(IOException.class);

        try (var listed = Files.list(directory)) {
            assertThat(listed).containsExactly(occupied);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
