package io.berth.control.task;

import static io.berth.control.task.TaskWorld.CALLER;
import static io.berth.control.task.TaskWorld.SCOPE;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.placement.Claim;
import io.berth.control.placement.Claims;
import io.berth.control.placement.Ledger;
import io.berth.control.state.Region;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.RepeatedTest;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.StopTaskRequest;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Many clients running, stopping and reporting tasks at once against a few instances: no instance
 * is ever oversubscribed, and what each instance has left is exactly what it registered minus what
 * its live tasks claim.
 */
class TaskConcurrencyTest {

    private static final int THREADS = 12;
    private static final int REQUESTS_PER_THREAD = 40;
    private static final List<String> STRATEGIES = List.of("binpack:memory", "binpack:cpu", "spread:instanceId", "random:");

    @RepeatedTest(3)
    void concurrentPlacementNeverOversubscribesAnInstance() throws Exception {
        try (TaskWorld world = new TaskWorld().cluster("prod")) {
            TaskService tasks = new TaskService(world.state, Clock.systemUTC());
            world.definition("small", 128, 256);
            world.definition("large", 512, 1024);
            world.definition("ported", 64, 64, TaskWorld.hostPort(8080));
            List<ContainerInstance> instances = List.of(
                    world.instance("prod", "a", 2048, 4096),
                    world.instance("prod", "b", 1024, 3000),
                    world.instance("prod", "c", 4096, 2048));

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                work.add(pool.submit(() -> clientLoop(tasks)));
            }
            for (Future<?> future : work) {
                future.get();
            }
            pool.shutdown();

            Region region = world.state.region(SCOPE);
            assertThat(region.withPrefix(Tasks.KIND, "prod/")).as("tasks placed").hasSizeGreaterThan(THREADS);
            for (ContainerInstance registered : instances) {
                ContainerInstance now = world.instanceNow(registered);
                List<Claim> live = new ArrayList<>();
                for (Task task : region.withPrefix(Tasks.KIND, "prod/")) {
                    if (registered.containerInstanceArn().equals(task.containerInstanceArn())) {
                        region.get(Claims.KIND, "prod/" + Tasks.idOf(task.taskArn())).ifPresent(live::add);
                        assertThat(region.get(Claims.KIND, "prod/" + Tasks.idOf(task.taskArn())).isPresent())
                                .as("a task holds a claim exactly while it has not stopped")
                                .isEqualTo(!"STOPPED".equals(task.lastStatus()));
                    }
                }
                int cpu = Ledger.remainingInteger(now, Ledger.CPU);
                int memory = Ledger.remainingInteger(now, Ledger.MEMORY);
                assertThat(cpu).isNotNegative();
                assertThat(memory).isNotNegative();
                assertThat(live.stream().mapToInt(Claim::cpu).sum())
                        .isEqualTo(Ledger.remainingInteger(registered, Ledger.CPU) - cpu);
                assertThat(live.stream().mapToInt(Claim::memory).sum())
                        .isEqualTo(Ledger.remainingInteger(registered, Ledger.MEMORY) - memory);
                Set<String> claimedPorts = new HashSet<>();
                for (Claim claim : live) {
                    for (String port : claim.tcpPorts()) {
                        assertThat(claimedPorts.add(port)).as("port %s claimed twice", port).isTrue();
                    }
                }
                Set<String> expectedPorts = new HashSet<>(Ledger.usedPorts(registered, Ledger.PORTS));
                expectedPorts.addAll(claimedPorts);
                assertThat(Ledger.usedPorts(now, Ledger.PORTS)).containsExactlyInAnyOrderElementsOf(expectedPorts);
            }
        }
    }

    /** One client: runs tasks with random sizes and strategies, and stops some, as user or agent. */
    private static void clientLoop(TaskService tasks) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
            String family = List.of("small", "large", "ported").get(random.nextInt(3));
            String[] strategy = STRATEGIES.get(random.nextInt(STRATEGIES.size())).split(":", -1);
            List<Task> placed = tasks.runTask(CALLER, RunTaskRequest.builder().cluster("prod").taskDefinition(family)
                    .count(1 + random.nextInt(3))
                    .placementStrategy(PlacementStrategy.builder().type(strategy[0])
                            .field(strategy[1].isEmpty() ? null : strategy[1]).build())
                    .build()).tasks();
            for (Task task : placed) {
                int fate = random.nextInt(4);
                if (fate == 0) {
                    tasks.stopTask(CALLER, StopTaskRequest.builder().cluster("prod").task(task.taskArn()).build());
                }
                if (fate <= 1) {
                    report(tasks, task, "RUNNING");
                    report(tasks, task, "STOPPED");
                    report(tasks, task, "STOPPED");
                }
            }
        }
    }

    private static void report(TaskService tasks, Task task, String status) {
        tasks.submitTaskStateChange(CALLER, SubmitTaskStateChangeRequest.builder().cluster("prod")
                .task(task.taskArn()).status(status).build());
    }
}
