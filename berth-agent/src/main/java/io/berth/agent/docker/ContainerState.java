package io.berth.agent.docker;

import java.time.Instant;
import java.util.List;

/**
 * What the runtime knows about one container. {@code status} is Docker's ({@code created}, {@code running},
 * {@code exited}, ...); {@code health} is {@code starting}, {@code healthy}, {@code unhealthy} or null without a
 * health check; {@code exitCode} is set once the container has run and stopped.
 */
public record ContainerState(
        String id,
        String name,
        String status,
        boolean running,
        Integer exitCode,
        String health,
        Instant startedAt,
        Instant finishedAt,
        String error,
        List<PortBinding> ports) {

    public ContainerState {
        ports = List.copyOf(ports);
    }

    /** Has run and stopped (or died). */
    public boolean exited() {
        return "exited".equals(status) || "dead".equals(status);
    }
}
