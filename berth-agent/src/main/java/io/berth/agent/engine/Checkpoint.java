package io.berth.agent.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.berth.agent.disk.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What survives an agent restart: the container instance ARN and every task's record (Docker ids, sent statuses).
 * Kept as one JSON file, replaced atomically (written to a temporary file, then renamed over) on every change.
 */
public final class Checkpoint {

    /** The file's content. */
    record Content(String instanceArn, List<TaskRecord> tasks) {
        Content {
            tasks = tasks == null ? List.of() : List.copyOf(tasks);
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private final Path file;
    private Content content;

    private Checkpoint(Path file, Content content) {
        this.file = file;
        this.content = content;
    }

    /** A checkpoint kept in {@code file}, loading what an earlier run saved there. */
    public static Checkpoint at(Path file) {
        if (!Files.exists(file)) {
            return new Checkpoint(file, new Content(null, List.of()));
        }
        try {
            return new Checkpoint(file, JSON.readValue(file.toFile(), Content.class));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the agent checkpoint " + file, e);
        }
    }

    /** A checkpoint that lives only as long as the process. */
    public static Checkpoint inMemory() {
        return new Checkpoint(null, new Content(null, List.of()));
    }

    public synchronized String instanceArn() {
        return content.instanceArn();
    }

    public synchronized void saveInstanceArn(String arn) {
        content = new Content(arn, content.tasks());
        write();
    }

    public synchronized List<TaskRecord> tasks() {
        return content.tasks();
    }

    public synchronized void saveTasks(List<TaskRecord> tasks) {
        content = new Content(content.instanceArn(), tasks);
        write();
    }

    private void write() {
        if (file == null) {
            return;
        }
        try {
            DurableFiles.replace(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the agent checkpoint " + file, e);
        }
    }
}
