package io.berth.agent.engine;

import io.berth.agent.docker.PortBinding;
import io.berth.model.acs.AcsContainer;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** The mutable view of one container of a task, owned by the task's thread. */
final class TaskContainer {

    final AcsContainer definition;
    String dockerId;
    String dockerName;
    String endpointId;
    Status known = Status.NONE;
    Status sent = Status.NONE;
    Integer exitCode;
    String reason;
    String health;
    Instant healthSince;
    List<PortBinding> ports = List.of();
    Instant createdAt;
    Instant startedAt;
    Instant finishedAt;

    /** A container not seen before, with a fresh metadata endpoint id. */
    TaskContainer(AcsContainer definition) {
        this.definition = definition;
        this.endpointId = UUID.randomUUID().toString();
    }

    /** Takes back what an earlier run knew of this container. */
    void restore(ContainerRecord saved) {
        dockerId = saved.dockerId();
        dockerName = saved.dockerName();
        endpointId = saved.endpointId();
        known = saved.knownStatus();
        sent = saved.sentStatus();
        exitCode = saved.exitCode();
        reason = saved.reason();
        health = saved.health();
        healthSince = saved.healthSince();
        ports = saved.ports();
        createdAt = saved.createdAt();
        startedAt = saved.startedAt();
        finishedAt = saved.finishedAt();
    }

    /** Docker's health check state as last inspected; a change restarts {@code healthSince}. */
    void observeHealth(String dockerHealth) {
        if (!Objects.equals(health, dockerHealth)) {
            health = dockerHealth;
            healthSince = dockerHealth == null ? null : Instant.now();
        }
    }

    String name() {
        return definition.name();
    }

    boolean essential() {
        return Boolean.TRUE.equals(definition.essential());
    }

    ContainerRecord record() {
        return new ContainerRecord(name(), definition.image(), dockerId, dockerName, endpointId, known, sent,
                exitCode, reason, health, healthSince, ports, createdAt, startedAt, finishedAt);
    }
}
