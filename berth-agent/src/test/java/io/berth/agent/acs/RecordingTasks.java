package io.berth.agent.acs;

import io.berth.agent.engine.InvalidTaskException;
import io.berth.model.acs.AcsTask;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** Stands in for the task engine: keeps what ACS delivered; refuses tasks whose desired status is not RUNNING/STOPPED. */
final class RecordingTasks implements AcsTasks {

    private final Map<String, String> desired = new ConcurrentHashMap<>();
    private final List<String> stopped = new CopyOnWriteArrayList<>();
    private volatile Consumer<AcsTask> whenApplied = task -> { };

    /** Runs {@code check} as each task is taken, as the engine would start it. */
    void whenApplied(Consumer<AcsTask> check) {
        whenApplied = check;
    }

    @Override
    public void apply(AcsTask task) throws InvalidTaskException {
        if (!"RUNNING".equals(task.desiredStatus()) && !"STOPPED".equals(task.desiredStatus())) {
            throw new InvalidTaskException("Error loading task - Unrecognized TaskStatus");
        }
        desired.put(task.arn(), task.desiredStatus());
        whenApplied.accept(task);
    }

    @Override
    public void stop(String taskArn) {
        stopped.add(taskArn);
        desired.put(taskArn, "STOPPED");
    }

    @Override
    public Set<String> desiredRunning() {
        return desired.entrySet().stream().filter(e -> e.getValue().equals("RUNNING")).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    Map<String, String> desired() {
        return Map.copyOf(desired);
    }

    List<String> stopped() {
        return List.copyOf(stopped);
    }
}
