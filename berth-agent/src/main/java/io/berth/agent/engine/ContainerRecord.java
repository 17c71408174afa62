package io.berth.agent.engine;

import io.berth.agent.docker.PortBinding;
import java.time.Instant;
import java.util.List;

/**
 * One container of a task as the engine last saw it: its Docker id and name once created, the status last observed
 * and last reported, its exit code and bindings. {@code endpointId} names it in the task metadata endpoint;
 * {@code health} is Docker's health check state (null without a check), held since {@code healthSince}.
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
        Instant healthSince,
        List<PortBinding> ports,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {

    public ContainerRecord {
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** The container's health as ECS reports it, or null when it has no health check. */
    public HealthStatus healthStatus() {
        return HealthStatus.ofDocker(health);
    }
}
