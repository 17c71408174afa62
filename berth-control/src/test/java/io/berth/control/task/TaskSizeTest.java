package io.berth.control.task;

import static io.berth.control.task.TaskWorld.CALLER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.control.agent.TaskPayloads;
import io.berth.model.acs.AcsTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.StartTaskRequest;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

/**
 * A task has a task-level size only when its definition or its overrides set one: that size is what the task
 * shows, what its agent enforces and what placement claims. Without one, placement claims what the containers
 * need and the agent gets no task limits.
 */
class TaskSizeTest {

    private final TaskWorld world = new TaskWorld().cluster("prod");
    private final ContainerInstance host = world.instance("prod", "i1", 2048, 4096);
    private final TaskPayloads payloads = new TaskPayloads();

    @AfterEach
    void close() {
        world.close();
    }

    /** A definition shaped as the official agent's users write it: a hard limit above a soft reservation. */
    private TaskDefinition softAndHard(String cpu, String memory) {
        return world.definition(TaskDefinition.builder().family("web").revision(1).networkMode("bridge")
                .cpu(cpu).memory(memory)
                .containerDefinitions(ContainerDefinition.builder().name("app").image("busybox:latest").cpu(10)
                        .memory(256).memoryReservation(64).essential(true).build())
                .build());
    }

    private Task run(TaskDefinition definition, TaskOverride overrides) {
        return world.tasks.runTask(CALLER, RunTaskRequest.builder().cluster("prod")
                .taskDefinition(definition.taskDefinitionArn()).overrides(overrides).build()).tasks().get(0);
    }

    private AcsTask payload(Task task, TaskDefinition definition) {
        return payloads.build(task, definition, "RUNNING");
    }

    @Test
    void withoutATaskSizeTheAgentGetsNoTaskLimitsAndPlacementClaimsTheReservation() throws Exception {
        TaskDefinition definition = softAndHard(null, null);

        Task task = run(definition, null);

        AcsTask sent = payload(task, definition);
        assertThat(task.cpu()).isNull();
        assertThat(task.memory()).isNull();
        assertThat(world.describe(task).cpu()).isNull();
        assertThat(world.describe(task).memory()).isNull();
        assertThat(sent.cpu()).isNull();
        assertThat(sent.memory()).isNull();
        assertThat(sent.containers().get(0).memory()).isEqualTo(256);
        assertThat(new ObjectMapper().readTree(sent.containers().get(0).dockerConfig().hostConfig())
                .path("MemoryReservation").asLong()).isEqualTo(64L * 1024 * 1024);
        assertThat(world.remainingMemory(host)).isEqualTo(4096 - 64);
        assertThat(world.remainingCpu(host)).isEqualTo(2048 - 10);
    }

    @Test
    void theDefinitionsTaskSizeIsTheTasksTheAgentsAndWhatPlacementClaims() {
        TaskDefinition definition = softAndHard("512", "1 GB");

        Task task = run(definition, null);

        AcsTask sent = payload(task, definition);
        assertThat(task.cpu()).isEqualTo("512");
        assertThat(task.memory()).isEqualTo("1024");
        assertThat(sent.cpu()).isEqualTo(0.5);
        assertThat(sent.memory()).isEqualTo(1024);
        assertThat(world.remainingMemory(host)).isEqualTo(4096 - 1024);
        assertThat(world.remainingCpu(host)).isEqualTo(2048 - 512);
    }

    @Test
    void overridesSetATaskSizeOverTheDefinitionsOrWhereItHasNone() {
        TaskDefinition definition = softAndHard(null, null);

        Task task = run(definition, TaskOverride.builder().cpu("0.25 vCPU").memory("512").build());

        AcsTask sent = payload(task, definition);
        assertThat(task.cpu()).isEqualTo("256");
        assertThat(task.memory()).isEqualTo("512");
        assertThat(sent.cpu()).isEqualTo(0.25);
        assertThat(sent.memory()).isEqualTo(512);
        assertThat(world.remainingMemory(host)).isEqualTo(4096 - 512);
    }

    @Test
    void startTaskFollowsTheSameRule() {
        TaskDefinition definition = softAndHard(null, "128");

        Task task = world.tasks.startTask(CALLER, StartTaskRequest.builder().cluster("prod")
                .taskDefinition(definition.taskDefinitionArn()).containerInstances("i1").build()).tasks().get(0);

        assertThat(task.cpu()).isNull();
        assertThat(task.memory()).isEqualTo("128");
        assertThat(payload(task, definition).cpu()).isNull();
        assertThat(payload(task, definition).memory()).isEqualTo(128);
    }

    @Test
    void thePayloadCarriesTheTasksLaunchType() {
        TaskDefinition definition = softAndHard(null, null);

        Task external = world.tasks.runTask(CALLER, RunTaskRequest.builder().cluster("prod")
                .taskDefinition(definition.taskDefinitionArn()).launchType("EXTERNAL").build()).tasks().get(0);
        Task ec2 = run(definition, null);

        assertThat(payload(external, definition).launchType()).isEqualTo("EXTERNAL");
        assertThat(payload(ec2, definition).launchType()).isEqualTo("EC2");
    }
}
