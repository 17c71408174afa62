package io.berth.control.service;

import static io.berth.control.service.ServiceWorld.CALLER;
import static io.berth.control.service.ServiceWorld.SCOPE;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.instance.ContainerInstances;
import io.berth.control.placement.Claim;
import io.berth.control.placement.Claims;
import io.berth.control.placement.Ledger;
import io.berth.control.state.Region;
import io.berth.control.task.Tasks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.RepeatedTest;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/**
 * Service scheduling, RunTask and agent reports all at once on a few instances: no instance is
 * oversubscribed, and what each has left is what it registered minus the claims of its live tasks.
 */
class ServiceConcurrencyTest {

    private static final int ROUNDS = 30;

    @RepeatedTest(2)
    void schedulersAndClientsTogetherNeverOversubscribeAnInstance() throws Exception {
        try (ServiceWorld world = new ServiceWorld()) {
            world.cluster("c");
            List<ContainerInstance> instances = List.of(world.instance("c", "a", 2048, 2048),
                    world.instance("c", "b", 1024, 3072), world.instance("c", "d", 3072, 1024));
            String web = world.register("web", "nginx:1").taskDefinitionArn();
            String job = world.register("job", "busybox").taskDefinitionArn();
            for (String name : List.of("s1", "s2", "s3")) {
                world.plane.services().createService(CALLER, CreateServiceRequest.builder().cluster("c")
                        .serviceName(name).taskDefinition(web).desiredCount(4).build());
            }

            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                work.add(pool.submit(() -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        world.reconcile();
                    }
                }));
            }
            work.add(pool.submit(() -> {
                for (int round = 0; round < ROUNDS; round++) {
                    world.agentsAct("c", t -> ThreadLocalRandom.current().nextInt(4) == 0);
                }
            }));
            work.add(pool.submit(() -> {
                for (int round = 0; round < ROUNDS; round++) {
                    world.plane.tasks().runTask(CALLER, RunTaskRequest.builder().cluster("c").taskDefinition(job)
                            .count(2).build());
                }
            }));
            work.add(pool.submit(() -> {
                for (int round = 0; round < ROUNDS; round++) {
                    int desired = ThreadLocalRandom.current().nextInt(8);
                    world.plane.services().updateService(CALLER, UpdateServiceRequest.builder().cluster("c")
                            .service("s" + (1 + round % 3)).desiredCount(desired).forceNewDeployment(round % 5 == 0)
                            .build());
                }
            }));
            for (Future<?> future : work) {
                future.get();
            }
            pool.shutdown();

            Region region = world.state.region(SCOPE);
            for (ContainerInstance registered : instances) {
                ContainerInstance now = region.get(ContainerInstances.KIND,
                        ContainerInstances.key("c", ContainerInstances.idOf(registered))).orElseThrow();
                List<Claim> live = new ArrayList<>();
                for (Task task : region.withPrefix(Tasks.KIND, "c/")) {
                    if (registered.containerInstanceArn().equals(task.containerInstanceArn())
                            && !Tasks.STOPPED.equals(task.lastStatus())) {
                        live.add(region.get(Claims.KIND, "c/" + Tasks.idOf(task.taskArn())).orElseThrow());
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
            }
            assertThat(region.withPrefix(Tasks.KIND, "c/").stream().filter(t -> t.group().startsWith("service:")))
                    .as("service tasks placed").isNotEmpty();
        }
    }
}
