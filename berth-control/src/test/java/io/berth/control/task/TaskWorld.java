package io.berth.control.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.Caller;
import io.berth.control.ControlPlane;
import io.berth.control.Scope;
import io.berth.control.TestClock;
import io.berth.control.cluster.Clusters;
import io.berth.control.iam.RoleSessions;
import io.berth.control.instance.ContainerInstances;
import io.berth.control.placement.Ledger;
import io.berth.control.placement.TestInstances;
import io.berth.control.state.State;
import io.berth.control.store.MemoryStore;
import io.berth.control.taskdef.TaskDefinitions;
import io.berth.model.EcsException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerStateChange;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** A control plane's state in memory with clusters, task definitions and instances put in directly. */
final class TaskWorld implements AutoCloseable {

    static final Scope SCOPE = new Scope("aws", TestInstances.ACCOUNT, TestInstances.REGION);
    static final Caller CALLER = new Caller(SCOPE, "arn:aws:iam::" + TestInstances.ACCOUNT + ":root");
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    /** The capability of instances whose agent gives tasks network namespaces of their own. */
    static final String TASK_ENI = "ecs.capability.task-eni";

    final MemoryStore store;
    final State state;
    final TaskService tasks;
    private final TestClock clock;

    final TaskRoles roles;
    private final RoleSessions roleSessions;

    TaskWorld() {
        this(new MemoryStore(), TaskRoles.UNAVAILABLE, new TestClock(NOW));
    }

    /** A world whose tasks get their roles' credentials from the given sessions. */
    TaskWorld(RoleSessions roleSessions) {
        this(new MemoryStore(), roleSessions, new TestClock(NOW));
    }

    private TaskWorld(MemoryStore store, RoleSessions roleSessions, TestClock clock) {
        this.store = store;
        this.roleSessions = roleSessions;
        this.clock = clock;
        this.state = new State(store, ControlPlane.KINDS);
        this.roles = new TaskRoles(state, roleSessions, clock);
        this.tasks = new TaskService(state, clock, () -> new SplittableRandom(42), roles);
    }

    /** Runs one task of the definition in cluster {@code prod}, which must be placed. */
    Task runOne(String taskDefinition) {
        RunTaskResponse response = tasks.runTask(CALLER, RunTaskRequest.builder().cluster("prod")
                .taskDefinition(taskDefinition).build());
        assertThat(response.failures()).isEmpty();
        return response.tasks().get(0);
    }

    /** The task as DescribeTasks shows it now. */
    Task describe(Task task) {
        return tasks.describeTasks(CALLER, DescribeTasksRequest.builder().cluster(clusterOf(task))
                .tasks(task.taskArn()).build()).tasks().get(0);
    }

    /** The task's agent reports a status with container changes. */
    void report(Task task, String status, ContainerStateChange... containers) {
        tasks.submitTaskStateChange(CALLER, SubmitTaskStateChangeRequest.builder().cluster(clusterOf(task))
                .task(task.taskArn()).status(status).reason("").containers(containers).build());
    }

    private static String clusterOf(Task task) {
        return task.clusterArn().substring(task.clusterArn().lastIndexOf('/') + 1);
    }

    /** A change of container {@code app} as an agent reports it. */
    static ContainerStateChange containerChange(String status, Integer exitCode) {
        return ContainerStateChange.builder().containerName("app").status(status).exitCode(exitCode)
                .runtimeId("abc123").build();
    }

    /** The call fails with the ECS error code. */
    static void assertError(ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    Instant now() {
        return clock.instant();
    }

    /** Moves the service's clock on. */
    void advance(Duration duration) {
        clock.advance(duration);
    }

    /** The same stored data read back by a fresh state, as after a restart. */
    TaskWorld restarted() {
        state.close();
        return new TaskWorld(store, roleSessions, clock);
    }

    TaskWorld cluster(String name) {
        state.write(SCOPE, tx -> {
            tx.put(Clusters.KIND, name, Cluster.builder().clusterName(name).clusterArn(SCOPE.arn("cluster/" + name))
                    .status(Clusters.ACTIVE).build());
            return null;
        });
        return this;
    }

    TaskDefinition definition(TaskDefinition definition) {
        TaskDefinition stored = definition.toBuilder()
                .taskDefinitionArn(SCOPE.arn("task-definition/" + definition.family() + ":" + definition.revision()))
                .status(definition.status() == null ? "ACTIVE" : definition.statusAsString())
                .build();
        state.write(SCOPE, tx -> {
            tx.put(TaskDefinitions.KIND, TaskDefinitions.key(stored.family(), stored.revision()), stored);
            return null;
        });
        return stored;
    }

    /** Revision 1 of a bridge-mode family with one essential container of the given size. */
    TaskDefinition definition(String family, int cpu, int memory, PortMapping... ports) {
        return definition(TaskDefinition.builder().family(family).revision(1).networkMode("bridge")
                .containerDefinitions(container("app", cpu, memory, ports)).build());
    }

    static ContainerDefinition container(String name, int cpu, int memory, PortMapping... ports) {
        return ContainerDefinition.builder().name(name).image("busybox:latest").cpu(cpu).memory(memory)
                .essential(true).portMappings(ports).build();
    }

    /**
     * Revision 1 of an awsvpc family with one essential container listening on the ports, needing the instance
     * attribute that registration requires of awsvpc definitions.
     */
    TaskDefinition awsvpcDefinition(String family, int... containerPorts) {
        PortMapping[] ports = Arrays.stream(containerPorts).mapToObj(TaskWorld::hostPort)
                .toArray(PortMapping[]::new);
        TaskDefinition definition = definition(TaskDefinition.builder().family(family).revision(1).networkMode("awsvpc")
                .requiresAttributes(Attribute.builder().name(TASK_ENI).build())
                .containerDefinitions(container("app", 64, 64, ports)).build());
        return definition;
    }

    static PortMapping hostPort(int port) {
        return PortMapping.builder().containerPort(port).hostPort(port).protocol("tcp").build();
    }

    ContainerInstance instance(String cluster, String id, int cpu, int memory, Attribute... attributes) {
        return put(TestInstances.instance(cluster, id, cpu, memory, attributes));
    }

    ContainerInstance put(ContainerInstance instance) {
        String key = key(instance.containerInstanceArn());
        state.write(SCOPE, tx -> {
            tx.put(ContainerInstances.KIND, key, instance);
            return null;
        });
        return instance;
    }

    ContainerInstance instanceNow(ContainerInstance instance) {
        return state.region(SCOPE).get(ContainerInstances.KIND, key(instance.containerInstanceArn())).orElseThrow();
    }

    int remainingMemory(ContainerInstance instance) {
        return Ledger.remainingInteger(instanceNow(instance), Ledger.MEMORY);
    }

    int remainingCpu(ContainerInstance instance) {
        return Ledger.remainingInteger(instanceNow(instance), Ledger.CPU);
    }

    List<String> usedPorts(ContainerInstance instance) {
        return List.copyOf(Ledger.usedPorts(instanceNow(instance), Ledger.PORTS));
    }

    private static String key(String instanceArn) {
        String resource = instanceArn.substring(instanceArn.indexOf("container-instance/") + "container-instance/".length());
        return ContainerInstances.key(resource.substring(0, resource.indexOf('/')), resource.substring(resource.indexOf('/') + 1));
    }

    @Override
    public void close() {
        state.close();
    }
}
