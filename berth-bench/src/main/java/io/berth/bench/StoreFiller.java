package io.berth.bench;

import io.berth.control.Caller;
import io.berth.control.ControlPlane;
import io.berth.control.Scope;
import io.berth.control.state.State;
import io.berth.control.store.Document;
import io.berth.control.store.Mutation;
import io.berth.control.store.Store;
import io.berth.control.task.Tasks;
import io.berth.server.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.Connectivity;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskOverride;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * Fills a store (a SQLite data directory, or a PostgreSQL database) with a large number of tasks, straight through the store rather than the API: the
 * cluster and task definition through the control plane's own services, then the tasks as stored documents in big
 * batches (one transaction each). One task in a hundred is RUNNING, the rest STOPPED, each shaped like a task RunTask
 * made and an agent ran: one container with a port binding, timestamps, stop code and reason.
 *
 * <p>Task ids are {@link #taskId(int)} of 0 to n - 1, so that a benchmark can name tasks without listing them.
 *
 * <p>{@code java -cp ... io.berth.bench.StoreFiller --data-dir DIR --tasks 1000000 [--account-id 123456789012]}
 */
public final class StoreFiller {

    public static final String CLUSTER = "restart";
    public static final String DEFAULT_ACCOUNT = "123456789012";
    private static final int BATCH = 20_000;

    private StoreFiller() {
    }

    /** The id of the task numbered {@code index}: 32 hex digits, like ECS task ids. */
    public static String taskId(int index) {
        return "%08x%024x".formatted(index, (long) index * 0x9E3779B97F4A7C15L & Long.MAX_VALUE);
    }

    public static boolean isRunning(int index) {
        return index % 100 == 0;
    }

    /** Writes the tasks into the data directory's store (created when missing); answers the seconds it took. */
    public static double fill(Path dataDir, int tasks, String accountId) throws Exception {
        Files.createDirectories(dataDir);
        return fill(StoreConfig.sqlite(), dataDir, tasks, accountId);
    }

    /**
     * Writes the tasks into the given store (PostgreSQL's database or the data directory's SQLite file), which holds
     * nothing yet; answers the seconds it took.
     */
    public static double fill(StoreConfig storeConfig, Path dataDir, int tasks, String accountId) {
        long began = System.nanoTime();
        Scope scope = new Scope("aws", accountId, "us-east-1");
        Caller caller = new Caller(scope, "arn:aws:iam::" + accountId + ":root");
        try (Store store = storeConfig.open(dataDir)) {
            String clusterArn;
            TaskDefinition definition;
            try (State state = new State(store, ControlPlane.KINDS)) {
                ControlPlane controlPlane = new ControlPlane(state, Clock.systemUTC(),
                        new ControlPlane.Endpoints("http://127.0.0.1", "http://127.0.0.1"));
                clusterArn = controlPlane.clusters().createCluster(caller,
                        CreateClusterRequest.builder().clusterName(CLUSTER).build()).cluster().clusterArn();
                definition = controlPlane.taskDefinitions().registerTaskDefinition(caller,
                        RegisterTaskDefinitionRequest.builder().family("restart-web").containerDefinitions(
                                ContainerDefinition.builder().name("web").image("nginx:1.27").memory(128).cpu(64)
                                        .essential(true).build())
                                .build()).taskDefinition();
            }
            String instanceArn = scope.arn("container-instance/" + CLUSTER + "/0123456789abcdef0123456789abcdef");
            Instant base = Instant.parse("2026-01-01T00:00:00Z");
            List<Mutation> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < tasks; i++) {
                Task task = task(scope, clusterArn, instanceArn, definition, i, base.plusSeconds(i));
                batch.add(new Mutation.Put(new Document(Tasks.KIND.name(), scope.key(),
                        Tasks.key(CLUSTER, taskId(i)), Tasks.KIND.encoder().apply(task))));
                if (batch.size() == BATCH) {
                    store.apply(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                store.apply(batch);
            }
        }
        return (System.nanoTime() - began) / 1e9;
    }

    private static Task task(Scope scope, String clusterArn, String instanceArn, TaskDefinition definition, int index,
            Instant createdAt) {
        String id = taskId(index);
        String taskArn = scope.arn("task/" + CLUSTER + "/" + id);
        boolean running = isRunning(index);
        String status = running ? Tasks.RUNNING : Tasks.STOPPED;
        ContainerDefinition web = definition.containerDefinitions().getFirst();
        Container container = Container.builder()
                .containerArn(scope.arn("container/" + CLUSTER + "/" + id + "/" + web.name()))
                .taskArn(taskArn).name(web.name()).image(web.image())
                .runtimeId("%064x".formatted(index))
                .lastStatus(status).exitCode(running ? null : 0)
                .networkBindings(NetworkBinding.builder().bindIP("0.0.0.0").containerPort(80)
                        .hostPort(32768 + index % 28000).protocol("tcp").build())
                .networkInterfaces(List.of())
                .healthStatus("UNKNOWN").cpu("64").memory("128")
                .build();
        Task.Builder task = Task.builder()
                .taskArn(taskArn).clusterArn(clusterArn)
                .taskDefinitionArn(definition.taskDefinitionArn())
                .containerInstanceArn(instanceArn)
                .overrides(TaskOverride.builder()
                        .containerOverrides(ContainerOverride.builder().name(web.name()).build())
                        .inferenceAcceleratorOverrides(List.of()).build())
                .lastStatus(status).desiredStatus(status)
                .createdAt(createdAt).pullStartedAt(createdAt.plusMillis(40)).pullStoppedAt(createdAt.plusMillis(90))
                .startedAt(createdAt.plusMillis(120))
                .connectivity(Connectivity.CONNECTED).connectivityAt(createdAt.plusMillis(120))
                .launchType("EC2").version(running ? 2L : 4L).cpu("64").memory("128")
                .containers(container).attachments(List.of())
                .group("family:restart-web").startedBy("restart-bench").tags(List.of())
                .availabilityZone("us-east-1a").enableExecuteCommand(false);
        if (!running) {
            Instant stopped = createdAt.plusSeconds(30);
            task.stopCode(TaskStopCode.USER_INITIATED).stoppedReason("Task stopped by the benchmark")
                    .stoppingAt(stopped).executionStoppedAt(stopped.plusMillis(300)).stoppedAt(stopped.plusMillis(400));
        }
        return task.build();
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        Path dataDir = Path.of(a.get("data-dir", "berth-data"));
        int tasks = a.getInt("tasks", 1_000_000);
        double seconds = fill(dataDir, tasks, a.get("account-id", DEFAULT_ACCOUNT));
        System.out.printf("filled %s with %,d tasks in %.1f s (%.0f tasks/s)%n", dataDir, tasks, seconds,
                tasks / seconds);
    }
}
