package io.berth.agent.engine;

import io.berth.agent.docker.PortBinding;
import java.time.Instant;
import java.util.List;

/**
 * One container of a task as the engine last saw it: its Docker id and name once created, the status last observed
 * and last reported, its exit code and bindings. {@code endpointId} names it in the task metadata endpoint.
 */
public record ContainerRecord(
        String name,
        String image,
        String dockerId,
        String dockerName,
        String endpointId,
        Status knownStatus,
        Status sentStatus,
        Integer exitCode,
        String reason,
        String health,
        List<PortBinding> ports,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {

    public ContainerRecord {
        ports = ports == null ? List.of() : List.copyOf(ports);
    }
}
