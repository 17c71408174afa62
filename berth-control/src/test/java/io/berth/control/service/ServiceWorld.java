package io.berth.control.service;

import io.berth.control.Caller;
import io.berth.control.ControlPlane;
import io.berth.control.Scope;
import io.berth.control.TestClock;
import io.berth.control.fargate.FargatePool;
import io.berth.control.instance.ContainerInstances;
import io.berth.control.placement.TestInstances;
import io.berth.control.state.State;
import io.berth.control.store.MemoryStore;
import io.berth.control.task.Tasks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerStateChange;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.UpdateContainerInstancesStateRequest;

/**
 * A control plane in memory with a clock the test moves, and agents the test plays: they start
 * what they are given, stop what they are told to, or let chosen tasks crash.
 */
final class ServiceWorld implements AutoCloseable {

    static final Scope SCOPE = new Scope("aws", TestInstances.ACCOUNT, TestInstances.REGION);
    static final Caller CALLER = new Caller(SCOPE, "arn:aws:iam::" + TestInstances.ACCOUNT + ":root");
    static final Instant START = Instant.parse("2026-11-25T12:00:00Z");

    final MemoryStore store;
    final State state;
    final ControlPlane plane;
    private final TestClock clock;

    ServiceWorld() {
        this(new MemoryStore(), new TestClock(START));
    }

    private ServiceWorld(MemoryStore store, TestClock clock) {
        this.store = store;
        this.clock = clock;
        this.state = new State(store, ControlPlane.KINDS);
        this.plane = new ControlPlane(state, clock, new ControlPlane.Endpoints("http://localhost", "http://localhost"));
    }

    /** The same stored data read back by a fresh control plane, as after a restart. */
    ServiceWorld restarted() {
        state.close();
        return new ServiceWorld(store, clock);
    }

    void advance(Duration duration) {
        clock.advance(duration);
    }

    ServiceWorld cluster(String name) {
        plane.clusters().createCluster(CALLER, CreateClusterRequest.builder().applyMutation(r -> r.clusterName(name)).build());
        return this;
    }

    ContainerInstance instance(String cluster, String id, int cpu, int memory) {
        ContainerInstance instance = TestInstances.instance(cluster, id, cpu, memory,
                Attribute.builder().name("ecs.capability.container-health-check").build(),
                Attribute.builder().name("com.amazonaws.ecs.capability.docker-remote-api.1.24").build(),
                Attribute.builder().name("com.amazonaws.ecs.capability.task-iam-role").build(),
                Attribute.builder().name("ecs.capability.task-eni").build())
                .toBuilder().version(1L).build();
        state.write(SCOPE, tx -> {
            tx.put(ContainerInstances.KIND, ContainerInstances.key(cluster, id), instance);
            return null;
        });
        return instance;
    }

    void drain(String cluster, String id) {
        plane.containerInstances().updateContainerInstancesState(CALLER, UpdateContainerInstancesStateRequest.builder()
                .cluster(cluster).containerInstances(id).status("DRAINING").build());
    }

    /** Registers a revision of the family with one essential container using the image. */
    TaskDefinition register(String family, String image) {
        return plane.taskDefinitions().registerTaskDefinition(CALLER, RegisterTaskDefinitionRequest.builder().applyMutation(r -> r.family(family)
                .containerDefinitions(ContainerDefinition.builder().name("app").image(image).cpu(256).memory(256)
                        .essential(true).build())).build())
                .taskDefinition();
    }

    /**
     * Registers an awsvpc revision of the family with one essential container listening on port 80, and an instance
     * able to run it.
     */
    TaskDefinition registerAwsvpc(String family, String image) {
        return plane.taskDefinitions().registerTaskDefinition(CALLER, RegisterTaskDefinitionRequest
                .builder().family(family).networkMode("awsvpc").containerDefinitions(ContainerDefinition.builder()
                        .name("app").image(image).cpu(256).memory(256).essential(true)
                        .portMappings(p -> p.containerPort(80).protocol("tcp")).build()).build()).taskDefinition();
    }

    /** An instance whose agent gives tasks network namespaces of their own. */
    ContainerInstance awsvpcInstance(String cluster, String id) {
        ContainerInstance instance = TestInstances.instance(cluster, id, 8192, 8192,
                Attribute.builder().name("ecs.capability.task-eni").build()).toBuilder().version(1L).build();
        state.write(SCOPE, tx -> {
            tx.put(ContainerInstances.KIND, ContainerInstances.key(cluster, id), instance);
            return null;
        });
        return instance;
    }

    /** Registers a revision of the family with one essential container that has a health check. */
    TaskDefinition registerChecked(String family, String image) {
        return plane.taskDefinitions().registerTaskDefinition(CALLER, RegisterTaskDefinitionRequest.builder()
                .family(family).containerDefinitions(ContainerDefinition.builder().name("app").image(image).cpu(256)
                        .memory(256).essential(true).healthCheck(h -> h.command("CMD-SHELL", "curl -f localhost"))
                        .build()).build()).taskDefinition();
    }

    /** The agent of the task's instance publishes the health of its container {@code app}. */
    void publishHealth(Task task, String health) {
        plane.tasks().recordHealth(SCOPE, task.containerInstanceArn(), task.taskArn(), Map.of("app", health));
    }

    /** Registers a revision of the family with one essential container that has a task role. */
    TaskDefinition withTaskRole(String family) {
        return plane.taskDefinitions().registerTaskDefinition(CALLER, RegisterTaskDefinitionRequest.builder()
                .family(family).taskRoleArn("arn:aws:iam::123456789012:role/app")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("app:1").cpu(256).memory(256)
                        .essential(true).build()).build()).taskDefinition();
    }

    /** Creates a REPLICA service of the revision with the desired count. */
    Service create(String cluster, String name, TaskDefinition definition, int desired) {
        return plane.services().createService(CALLER, CreateServiceRequest.builder().cluster(cluster).serviceName(name)
                .taskDefinition(definition.taskDefinitionArn()).desiredCount(desired).build()).service();
    }

    /** The service's event messages, newest first. */
    static List<String> messages(Service service) {
        return service.events().stream().map(ServiceEvent::message).toList();
    }

    Service service(String cluster, String name) {
        return state.region(SCOPE).get(Services.KIND, Services.key(cluster, name)).orElseThrow();
    }

    List<Task> tasks(String cluster) {
        return List.copyOf(state.region(SCOPE).withPrefix(Tasks.KIND, cluster + "/"));
    }

    List<Task> liveTasksOf(String cluster, String serviceName) {
        return tasks(cluster).stream().filter(t -> ("service:" + serviceName).equals(t.group()))
                .filter(t -> !Tasks.STOPPED.equals(t.lastStatus())).toList();
    }

    /** Tasks of the service RUNNING and wanted running: the healthy ones, as the deployment counts them. */
    long healthy(String cluster, String serviceName) {
        return liveTasksOf(cluster, serviceName).stream()
                .filter(t -> Tasks.RUNNING.equals(t.lastStatus()) && Tasks.RUNNING.equals(t.desiredStatus())).count();
    }

    void reconcile() {
        plane.serviceReconciler().reconcile(SCOPE);
    }

    /**
     * The agent of the task reports it with the status; STOPPED reports the essential container exiting. The agent
     * of a Fargate host names the pool, as it registered there.
     */
    void report(Task task, String status) {
        String cluster = FargatePool.isPoolHost(task.containerInstanceArn()) ? FargatePool.NAME
                : task.clusterArn().substring(task.clusterArn().lastIndexOf('/') + 1);
        SubmitTaskStateChangeRequest.Builder request = SubmitTaskStateChangeRequest.builder()
                .cluster(cluster).task(task.taskArn()).status(status);
        if (Tasks.STOPPED.equals(status)) {
            request.containers(ContainerStateChange.builder().containerName("app").status("STOPPED").exitCode(1).build());
        }
        plane.tasks().submitTaskStateChange(CALLER, request.build());
    }

    /**
     * The agents act once on every task: a task to stop is reported STOPPED; a new task is reported
     * RUNNING, or STOPPED when {@code crashes} says its container exits at once. Answers whether
     * anything was reported.
     */
    boolean agentsAct(String cluster, Predicate<Task> crashes) {
        boolean acted = false;
        for (Task task : tasks(cluster)) {
            if (Tasks.STOPPED.equals(task.lastStatus())) {
                continue;
            }
            if (Tasks.STOPPED.equals(task.desiredStatus())) {
                report(task, Tasks.STOPPED);
                acted = true;
            } else if (Tasks.PENDING.equals(task.lastStatus())) {
                report(task, crashes.test(task) ? Tasks.STOPPED : Tasks.RUNNING);
                acted = true;
            }
        }
        return acted;
    }

    /**
     * Alternates scheduler steps and agent actions until neither changes anything, checking the
     * invariant after each of them.
     */
    void settle(String cluster, Predicate<Task> crashes, Runnable invariant) {
        for (int round = 0; round < 100; round++) {
            List<Task> before = tasks(cluster);
            reconcile();
            invariant.run();
            boolean acted = agentsAct(cluster, crashes);
            invariant.run();
            if (!acted && before.equals(tasks(cluster))) {
                return;
            }
        }
        throw new AssertionError("The service did not settle in 100 rounds");
    }

    void settle(String cluster) {
        settle(cluster, t -> false, () -> { });
    }

    @Override
    public void close() {
        state.close();
    }
}
