package io.berth.agent.logs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.berth.agent.disk.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@link LogPosition} of every container whose log is shipped, by Docker id: one small JSON file in the agent's
 * data directory ({@value #FILE_NAME}), replaced atomically and flushed to disk after every acknowledged batch, so
 * that a killed agent resumes with at most its last batch sent twice.
 */
final class ShippedPositions {

    static final String FILE_NAME = "awslogs-positions.json";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Path file;
    private final Map<String, LogPosition> byContainer;

    private ShippedPositions(Path file, Map<String, LogPosition> byContainer) {
        this.file = file;
        this.byContainer = byContainer;
    }

    /** The positions kept in {@code directory}, as an earlier run left them. */
    static ShippedPositions in(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return new ShippedPositions(file, new TreeMap<>());
        }
        try {
            return new ShippedPositions(file, new TreeMap<>(JSON.readValue(file.toFile(),
                    new TypeReference<Map<String, LogPosition>>() { })));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the awslogs positions " + file, e);
        }
    }

    /** Positions that live only as long as the process. */
    static ShippedPositions inMemory() {
        return new ShippedPositions(null, new TreeMap<>());
    }

    synchronized Optional<LogPosition> get(String containerId) {
        return Optional.ofNullable(byContainer.get(containerId));
    }

    synchronized void save(String containerId, LogPosition position) {
        byContainer.put(containerId, position);
        write();
    }

    synchronized void remove(String containerId) {
        if (byContainer.remove(containerId) != null) {
            write();
        }
    }

    private void write() {
        if (file == null) {
            return;
        }
        try {
            DurableFiles.replace(file, JSON.writeValueAsBytes(byContainer));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the awslogs positions " + file, e);
        }
    }
}
