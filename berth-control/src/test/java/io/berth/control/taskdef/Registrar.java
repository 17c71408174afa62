package io.berth.control.taskdef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.Caller;
import io.berth.control.ControlPlane;
import io.berth.control.Scope;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.store.MemoryStore;
import io.berth.model.EcsException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeregisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** Registers task definitions through the service over an in-memory store, and checks its refusals. */
final class Registrar implements AutoCloseable {

    static final Caller CALLER = new Caller(new Scope("aws", "123456789012", "us-east-1"),
            "arn:aws:iam::123456789012:root");

    private final State state = new State(new MemoryStore(), ControlPlane.KINDS);
    private final TaskDefinitionService service = new TaskDefinitionService(state,
            Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC));

    /** A container of 64 MiB running busybox. */
    static ContainerDefinition container(String name) {
        return ContainerDefinition.builder().name(name).image("busybox").memory(64).build();
    }

    static ContainerDefinition container(String name, UnaryOperator<ContainerDefinition.Builder> change) {
        return change.apply(container(name).toBuilder()).build();
    }

    /** A registration of the family "rules" with these containers. */
    static RegisterTaskDefinitionRequest.Builder request(ContainerDefinition... containers) {
        return RegisterTaskDefinitionRequest.builder().family("rules").containerDefinitions(containers);
    }

    TaskDefinition register(RegisterTaskDefinitionRequest.Builder request) {
        return service.registerTaskDefinition(CALLER, request.build()).taskDefinition();
    }

    void deregister(String reference) {
        service.deregisterTaskDefinition(CALLER, DeregisterTaskDefinitionRequest.builder().taskDefinition(reference).build());
    }

    /** Asserts that the registration is refused with a ClientException whose message holds {@code messagePart}. */
    void assertRefused(RegisterTaskDefinitionRequest.Builder request, String messagePart) {
        assertThatThrownBy(() -> register(request)).isInstanceOfSatisfying(EcsException.class, e -> {
            assertThat(e.code()).isEqualTo("ClientException");
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    /** Asserts that the registration is refused with a ClientException saying exactly {@code message}. */
    void assertRefusedWith(RegisterTaskDefinitionRequest.Builder request, String message) {
        assertThatThrownBy(() -> register(request)).isInstanceOfSatisfying(EcsException.class, e -> {
            assertThat(e.code()).isEqualTo("ClientException");
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    Region region() {
        return state.region(CALLER.scope());
    }

    @Override
    public void close() {
        state.close();
    }
}
