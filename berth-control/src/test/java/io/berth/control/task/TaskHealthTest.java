package io.berth.control.task;

import static io.berth.control.task.TaskWorld.CALLER;
import static io.berth.control.task.TaskWorld.SCOPE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.StartTaskRequest;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

class TaskHealthTest {

    private final TaskWorld world = new TaskWorld().cluster("prod");
    private final ContainerInstance host = world.instance("prod", "i1", 4096, 4096);

    @AfterEach
    void close() {
        world.close();
    }

    private static ContainerDefinition checked(String name, boolean essential) {
        return TaskWorld.container(name, 10, 64).toBuilder().essential(essential)
                .healthCheck(h -> h.command("CMD-SHELL", "true")).build();
    }

    private static ContainerDefinition unchecked(String name) {
        return TaskWorld.container(name, 10, 64);
    }

    private Task run(ContainerDefinition... containers) {
        TaskDefinition definition = world.definition(TaskDefinition.builder().family("app").revision(1)
                .networkMode("bridge").containerDefinitions(containers).build());
        Task task = world.tasks.runTask(CALLER, RunTaskRequest.builder().cluster("prod")
                .taskDefinition(definition.taskDefinitionArn()).build()).tasks().get(0);
        world.report(task, "RUNNING");
        return task;
    }

    private void publish(Task task, Map<String, String> health) {
        world.tasks.recordHealth(SCOPE, host.containerInstanceArn(), task.taskArn(), health);
    }

    private Task describe(Task task) {
        return world.describe(task);
    }

    private HealthStatus container(Task task, String name) {
        return describe(task).containers().stream().filter(c -> c.name().equals(name)).findFirst()
                .map(Container::healthStatus).orElseThrow();
    }

    @Test
    void aNewTaskAndItsContainersAreUnknown() {
        Task task = run(checked("web", true), unchecked("sidecar"));

        assertThat(task.healthStatus()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(task.containers()).extracting(Container::healthStatus).containsOnly(HealthStatus.UNKNOWN);
        assertThat(describe(task).healthStatus()).isEqualTo(HealthStatus.UNKNOWN);
    }

    @Test
    void theTaskIsHealthyOnceEveryEssentialContainerWithACheckIs() {
        Task task = run(checked("web", true), checked("worker", true), unchecked("sidecar"));

        publish(task, Map.of("web", "HEALTHY"));
        Task halfway = describe(task);
        publish(task, Map.of("web", "HEALTHY", "worker", "HEALTHY"));

        assertThat(halfway.healthStatus()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(container(task, "web")).isEqualTo(HealthStatus.HEALTHY);
        assertThat(container(task, "worker")).isEqualTo(HealthStatus.HEALTHY);
        assertThat(container(task, "sidecar")).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(describe(task).healthStatus()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void anUnhealthyEssentialContainerMakesTheTaskUnhealthyAndTheTaskKeepsRunning() {
        Task task = run(checked("web", true), checked("worker", true));

        publish(task, Map.of("web", "HEALTHY", "worker", "UNHEALTHY"));

        Task described = describe(task);
        assertThat(described.healthStatus()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(described.desiredStatus()).isEqualTo("RUNNING");
        assertThat(described.lastStatus()).isEqualTo("RUNNING");
    }

    @Test
    void aNonEssentialContainerHasItsOwnHealthButNotTheTasks() {
        Task task = run(checked("web", true), checked("helper", false));

        publish(task, Map.of("web", "HEALTHY", "helper", "UNHEALTHY"));

        assertThat(container(task, "helper")).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(describe(task).healthStatus()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void withoutChecksOnEssentialContainersTheTaskStaysUnknown() {
        Task task = run(unchecked("web"), checked("helper", false));

        publish(task, Map.of("web", "HEALTHY", "helper", "HEALTHY"));

        assertThat(container(task, "web")).as("a container without a check has no health to report")
                .isEqualTo(HealthStatus.UNKNOWN);
        assertThat(container(task, "helper")).isEqualTo(HealthStatus.HEALTHY);
        assertThat(describe(task).healthStatus()).isEqualTo(HealthStatus.UNKNOWN);
    }

    @Test
    void aContainerBackToUnknownMakesAHealthyTaskUnknown() {
        Task task = run(checked("web", true));
        publish(task, Map.of("web", "HEALTHY"));

        publish(task, Map.of("web", "UNKNOWN"));

        assertThat(describe(task).healthStatus()).isEqualTo(HealthStatus.UNKNOWN);
    }

    @Test
    void healthFromAnInstanceThatDoesNotRunTheTaskIsIgnored() {
        Task task = run(checked("web", true));
        ContainerInstance other = world.instance("prod", "i2", 4096, 4096);

        world.tasks.recordHealth(SCOPE, other.containerInstanceArn(), task.taskArn(), Map.of("web", "UNHEALTHY"));

        Task described = describe(task);
        assertThat(described.healthStatus()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(described.containers().get(0).healthStatus()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(described.version()).isEqualTo(2L);
    }

    @Test
    void reportsThatChangeNothingOrNameNoKnownTaskWriteNothing() {
        Task task = run(checked("web", true));
        publish(task, Map.of("web", "HEALTHY"));
        long version = describe(task).version();

        publish(task, Map.of("web", "HEALTHY"));
        publish(task, Map.of("web", "SOMETIMES", "nobody", "UNHEALTHY"));
        world.tasks.recordHealth(SCOPE, host.containerInstanceArn(), SCOPE.arn("task/prod/0123456789abcdef"),
                Map.of("web", "UNHEALTHY"));
        world.tasks.recordHealth(SCOPE, host.containerInstanceArn(),
                "arn:aws:ecs:us-east-1:999999999999:task/prod/" + Tasks.idOf(task.taskArn()), Map.of("web", "UNHEALTHY"));
        world.tasks.recordHealth(SCOPE, host.containerInstanceArn(), "not an arn", Map.of("web", "UNHEALTHY"));

        assertThat(describe(task).version()).isEqualTo(version);
        assertThat(describe(task).healthStatus()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void aStoppedTaskKeepsItsLastHealth() {
        Task task = run(checked("web", true));
        publish(task, Map.of("web", "HEALTHY"));
        world.report(task, "STOPPED");

        publish(task, Map.of("web", "UNHEALTHY"));

        assertThat(describe(task).healthStatus()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void startTaskTasksStartUnknownToo() {
        TaskDefinition definition = world.definition(TaskDefinition.builder().family("job").revision(1)
                .networkMode("bridge").containerDefinitions(checked("web", true)).build());

        Task task = world.tasks.startTask(CALLER, StartTaskRequest.builder().cluster("prod")
                .taskDefinition(definition.taskDefinitionArn()).containerInstances("i1").build()).tasks().get(0);

        assertThat(task.healthStatus()).isEqualTo(HealthStatus.UNKNOWN);
    }
}
