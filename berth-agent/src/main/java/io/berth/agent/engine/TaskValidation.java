package io.berth.agent.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.agent.awsvpc.TaskInterface;
import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.AcsVolume;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks a task must pass before the engine takes it on: what the official agent refuses while loading a
 * task. References between containers and volumes are checked later, when the task is set up.
 */
final class TaskValidation {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskValidation() {
    }

    static void check(AcsTask task) throws InvalidTaskException {
        if (task.arn() == null || !task.arn().startsWith("arn:") || !task.arn().contains("/")) {
            throw new InvalidTaskException("Error loading task - Invalid task ARN: " + task.arn());
        }
        if (!"RUNNING".equals(task.desiredStatus()) && !"STOPPED".equals(task.desiredStatus())) {
            throw new InvalidTaskException("Error loading task - Unrecognized TaskStatus");
        }
        if (blank(task.family()) || blank(task.version())) {
            throw new InvalidTaskException("Error loading task - family and version are required");
        }
        if (task.containers() == null || task.containers().isEmpty()) {
            throw new InvalidTaskException("Error loading task - the task has no containers");
        }
        Set<String> names = new HashSet<>();
        for (AcsContainer container : task.containers()) {
            if (blank(container.name()) || !names.add(container.name())) {
                throw new InvalidTaskException("Error loading task - container names must be present and unique: "
                        + container.name());
            }
            if (blank(container.image())) {
                throw new InvalidTaskException("Error loading task - container " + container.name() + " has no image");
            }
            commandOverride(container);
        }
        try {
            TaskInterface.of(task);
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskException("Error loading task - " + e.getMessage());
        }
        if (task.volumes() != null) {
            for (AcsVolume volume : task.volumes()) {
                if (blank(volume.name())) {
                    throw new InvalidTaskException("Error loading task - a volume has no name");
                }
                String type = volume.type() == null ? "host" : volume.type();
                if (type.equals("host") && volume.host() == null) {
                    throw new InvalidTaskException("Error loading task - host volume " + volume.name()
                            + " has no host member");
                }
                if (type.equals("docker") && volume.dockerVolumeConfiguration() == null) {
                    throw new InvalidTaskException("Error loading task - docker volume " + volume.name()
                            + " has no dockerVolumeConfiguration");
                }
            }
        }
    }

    /** The command a container's {@code overrides} replaces its own with, or null. Only {@code command} may appear. */
    static List<String> commandOverride(AcsContainer container) throws InvalidTaskException {
        String overrides = container.overrides();
        if (overrides == null) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(overrides);
        } catch (IOException e) {
            throw new InvalidTaskException("Error loading task - invalid overrides for container "
                    + container.name() + ": " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidTaskException("Error loading task - overrides of container " + container.name()
                    + " must be a JSON object");
        }
        List<String> command = null;
        for (var field : node.properties()) {
            if (!field.getKey().equals("command")) {
                throw new InvalidTaskException("Error loading task - unsupported override " + field.getKey()
                        + " for container " + container.name());
            }
            if (field.getValue().isNull()) {
                continue;
            }
            if (!field.getValue().isArray()) {
                throw new InvalidTaskException("Error loading task - the command override of container "
                        + container.name() + " must be a list");
            }
            command = new ArrayList<>();
            for (JsonNode part : field.getValue()) {
                command.add(part.asText());
            }
        }
        return command;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
