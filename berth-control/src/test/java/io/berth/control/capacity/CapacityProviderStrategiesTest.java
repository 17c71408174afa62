package io.berth.control.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

class CapacityProviderStrategiesTest {

    private static CapacityProviderStrategyItem item(String provider, Integer base, Integer weight) {
        return CapacityProviderStrategyItem.builder().capacityProvider(provider).base(base).weight(weight).build();
    }

    private static Cluster clusterWith(String... providers) {
        return Cluster.builder().clusterName("c").capacityProviders(providers).build();
    }

    /** The providers of {@code count} tasks launched one after the other from empty counts. */
    private static Map<String, Integer> split(List<CapacityProviderStrategyItem> strategy, int count) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < count; i++) {
            counts.merge(CapacityProviderStrategies.next(strategy, counts), 1, Integer::sum);
        }
        return counts;
    }

    private static String errorOf(List<CapacityProviderStrategyItem> strategy, Cluster cluster) {
        try {
            CapacityProviderStrategies.validate(strategy, cluster);
            return null;
        } catch (EcsException e) {
            return e.code() + ": " + e.getMessage();
        }
    }

    @Test
    void theBaseGoesFirstToItsProviderAndTheRestByWeight() {
        List<CapacityProviderStrategyItem> strategy = List.of(item("on-demand", 2, 1), item("spot", null, 3));

        assertThat(split(strategy, 2)).containsExactlyInAnyOrderEntriesOf(Map.of("on-demand", 2));
        assertThat(split(strategy, 6)).containsExactlyInAnyOrderEntriesOf(Map.of("on-demand", 3, "spot", 3));
        assertThat(split(strategy, 10)).containsExactlyInAnyOrderEntriesOf(Map.of("on-demand", 4, "spot", 6));
    }

    @Test
    void theFirstTasksAfterTheBaseFollowTheRatioOneByOne() {
        List<CapacityProviderStrategyItem> strategy = List.of(item("a", null, 1), item("b", null, 1));
        Map<String, Integer> counts = new HashMap<>();
        List<String> order = new ArrayList<>();
        IntStream.range(0, 4).forEach(i -> {
            String next = CapacityProviderStrategies.next(strategy, counts);
            order.add(next);
            counts.merge(next, 1, Integer::sum);
        });

        assertThat(order).containsExactly("a", "b", "a", "b");
    }

    @Test
    void existingTasksCountTowardsTheSplit() {
        List<CapacityProviderStrategyItem> strategy = List.of(item("a", 1, 1), item("b", null, 1));

        assertThat(CapacityProviderStrategies.next(strategy, Map.of("b", 5))).isEqualTo("a");
        assertThat(CapacityProviderStrategies.next(strategy, Map.of("a", 1, "b", 5))).isEqualTo("a");
        assertThat(CapacityProviderStrategies.next(strategy, Map.of("a", 7, "b", 5))).isEqualTo("b");
    }

    @Test
    void aZeroWeightProviderOnlyTakesItsBase() {
        List<CapacityProviderStrategyItem> strategy = List.of(item("base-only", 2, 0), item("rest", null, 1));

        assertThat(split(strategy, 5)).containsExactlyInAnyOrderEntriesOf(Map.of("base-only", 2, "rest", 3));
    }

    @Test
    void aLoneProviderWithoutWeightTakesEveryTask() {
        assertThat(split(List.of(item("only", null, null)), 3)).containsExactlyInAnyOrderEntriesOf(Map.of("only", 3));
    }

    @Test
    void validationRefusesWhatECSRefuses() {
        Cluster cluster = clusterWith("a", "b");
        List<CapacityProviderStrategyItem> tooMany = IntStream.range(0, 21).mapToObj(i -> item("a", null, 1)).toList();

        assertThat(errorOf(List.of(item("a", 1, 1), item("b", null, 2)), cluster)).isNull();
        assertThat(errorOf(tooMany, cluster)).startsWith("InvalidParameterException").contains("at most 20");
        assertThat(errorOf(List.of(item("a", 1, 1), item("b", 1, 1)), cluster))
                .contains("Only one capacity provider");
        assertThat(errorOf(List.of(item("a", null, 1001)), cluster)).contains("weight must be between 0 and 1000");
        assertThat(errorOf(List.of(item("a", null, -1)), cluster)).contains("weight must be between 0 and 1000");
        assertThat(errorOf(List.of(item("c", null, 1)), cluster)).contains("not associated with the cluster");
        assertThat(errorOf(List.of(item("a", null, 0), item("b", null, 0)), cluster)).contains("weight greater than 0");
        assertThat(errorOf(List.of(item("a", null, 1), item("a", null, 1)), cluster)).contains("more than once");
    }

    @Test
    void theFargateProvidersMixWithEachOtherButWithNoOtherProvider() {
        Cluster cluster = clusterWith("a", "FARGATE", "FARGATE_SPOT");

        assertThat(errorOf(List.of(item("FARGATE", 1, 1), item("FARGATE_SPOT", null, 3)), cluster)).isNull();
        assertThat(errorOf(List.of(item("FARGATE", null, 1), item("a", null, 1)), cluster))
                .isEqualTo("InvalidParameterException: A capacity provider strategy cannot contain a mix of capacity "
                        + "providers using Auto Scaling groups and Fargate providers. Specify one or the other and "
                        + "try again.");
        assertThat(errorOf(List.of(item("FARGATE", null, 1)), clusterWith("a"))).contains("not associated");
    }

    @Test
    void theRequestedStrategyExcludesALaunchTypeAndTheClusterDefaultFillsIn() {
        Cluster cluster = clusterWith("a").toBuilder().defaultCapacityProviderStrategy(item("a", null, 1)).build();

        assertThat(CapacityProviderStrategies.effective(List.of(), null, cluster)).extracting(
                CapacityProviderStrategyItem::capacityProvider).containsExactly("a");
        assertThat(CapacityProviderStrategies.effective(List.of(), "EC2", cluster)).isEmpty();
        assertThat(CapacityProviderStrategies.effective(List.of(), null, clusterWith("a"))).isEmpty();
        assertThatThrownBy(() -> CapacityProviderStrategies.effective(List.of(item("a", null, 1)), "EC2", cluster))
                .isInstanceOf(EcsException.class).hasMessageContaining("launch type and capacity provider strategy");
    }

    @Test
    void anInstanceBelongsToTheProviderItsAttributeNames() {
        ContainerInstance instance = ContainerInstance.builder().attributes(
                Attribute.builder().name("ecs.os-type").value("linux").build(),
                Attribute.builder().name(CapacityProviderStrategies.ATTRIBUTE).value("spot").build()).build();

        assertThat(CapacityProviderStrategies.withProviderName(instance).capacityProviderName()).isEqualTo("spot");
        assertThat(CapacityProviderStrategies.withProviderName(ContainerInstance.builder().build())
                .capacityProviderName()).isNull();
    }
}
