package io.berth.control.fargate;

import static io.berth.control.placement.TestInstances.instance;
import static io.berth.control.placement.TestInstances.load;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.placement.Demand;
import io.berth.control.placement.InstanceLoad;
import io.berth.control.placement.Placer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.Failure;

class FargatePlacementTest {

    private static final Demand SMALL = new Demand(256, 512, Set.of(), Set.of(), List.of());

    private static InstanceLoad host(String id, int cpu, int memory) {
        return load(instance(FargatePool.NAME, id, cpu, memory));
    }

    @Test
    void theHostRunningTheFewestTasksWinsAndEachPlacementCounts() {
        InstanceLoad busy = host("h1", 4096, 8192);
        InstanceLoad idle = host("h2", 4096, 8192);
        FargatePlacement placement = new FargatePlacement(Map.of(busy.instance().containerInstanceArn(), 2));
        Map<String, Integer> chosen = new HashMap<>();

        for (int i = 0; i < 4; i++) {
            InstanceLoad host = placement.choose(List.of(busy, idle), SMALL, new SplittableRandom(i)).chosen();
            placement.placed(host);
            chosen.merge(host.instanceId(), 1, Integer::sum);
        }

        assertThat(chosen).isEqualTo(Map.of("h1", 1, "h2", 3));
    }

    @Test
    void onlyActiveConnectedHostsWithRoomAndTheAttributesAskedForCount() {
        InstanceLoad small = host("h1", 128, 8192);
        InstanceLoad draining = load(instance(FargatePool.NAME, "h2", 4096, 8192).toBuilder().status("DRAINING")
                .build());
        InstanceLoad withoutEni = host("h3", 4096, 8192);
        InstanceLoad away = load(instance(FargatePool.NAME, "h4", 4096, 8192).toBuilder().agentConnected(false)
                .build());
        Demand awsvpc = new Demand(256, 512, Set.of(), Set.of(),
                List.of(Attribute.builder().name("ecs.capability.task-eni").build()));

        Placer.Decision none = new FargatePlacement(Map.of()).choose(List.of(small, draining, away), SMALL,
                new SplittableRandom(1));
        Placer.Decision noEni = new FargatePlacement(Map.of()).choose(List.of(withoutEni), awsvpc,
                new SplittableRandom(1));

        assertThat(none.isPlaced()).isFalse();
        assertThat(none.failures()).extracting(Failure::reason).containsExactly(FargateCapacity.UNAVAILABLE);
        assertThat(none.failures().get(0).arn()).as("no host is named").isNull();
        assertThat(noEni.isPlaced()).isFalse();
    }
}
