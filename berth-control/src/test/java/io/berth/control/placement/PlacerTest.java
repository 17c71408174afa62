package io.berth.control.placement;

import static io.berth.control.placement.TestInstances.attribute;
import static io.berth.control.placement.TestInstances.instance;
import static io.berth.control.placement.TestInstances.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;

class PlacerTest {

    private static final String GROUP = "family:web";
    private static final Demand SMALL = new Demand(128, 256, Set.of(), Set.of(), List.of());

    private static PlacementRules strategy(String type, String field) {
        return PlacementRules.of(List.of(), List.of(PlacementStrategy.builder().type(type).field(field).build()), List.of());
    }

    private static PlacementRules constraint(String type, String expression) {
        return PlacementRules.of(List.of(PlacementConstraint.builder().type(type).expression(expression).build()),
                List.of(), List.of());
    }

    private static String chosen(List<InstanceLoad> loads, Demand demand, PlacementRules rules) {
        Placer.Decision decision = Placer.place(loads, demand, GROUP, rules, new SplittableRandom(7));
        assertThat(decision.isPlaced()).as("placed, failures %s", decision.failures()).isTrue();
        return decision.chosen().instanceId();
    }

    @Test
    void binpackOnMemoryChoosesTheInstanceWithLeastMemoryLeftThatFits() {
        List<InstanceLoad> loads = List.of(
                load(instance("c", "big", 4096, 8192)),
                load(instance("c", "snug", 4096, 1024)),
                load(instance("c", "tiny", 4096, 128)));

        assertThat(chosen(loads, SMALL, strategy("binpack", "memory"))).isEqualTo("snug");
    }

    @Test
    void binpackOnCpuChoosesTheInstanceWithLeastCpuLeft() {
        List<InstanceLoad> loads = List.of(load(instance("c", "a", 4096, 1024)), load(instance("c", "b", 512, 8192)));

        assertThat(chosen(loads, SMALL, strategy("binpack", "cpu"))).isEqualTo("b");
    }

    @Test
    void spreadOnInstanceIdChoosesTheInstanceWithFewestTasksOfTheGroup() {
        List<InstanceLoad> loads = List.of(
                load(instance("c", "busy", 4096, 8192), GROUP, 3),
                load(instance("c", "quiet", 4096, 8192), GROUP, 1),
                load(instance("c", "other", 4096, 8192), GROUP, 2));

        assertThat(chosen(loads, SMALL, strategy("spread", "instanceId"))).isEqualTo("quiet");
    }

    @Test
    void spreadOnAnAttributeBalancesItsValues() {
        List<InstanceLoad> loads = List.of(
                load(instance("c", "a1", 4096, 8192, attribute("ecs.availability-zone", "a")), GROUP, 1),
                load(instance("c", "a2", 4096, 8192, attribute("ecs.availability-zone", "a")), GROUP, 0),
                load(instance("c", "b1", 4096, 8192, attribute("ecs.availability-zone", "b")), GROUP, 0));

        assertThat(chosen(loads, SMALL, strategy("spread", "attribute:ecs.availability-zone"))).isEqualTo("b1");
    }

    @Test
    void randomPlacementUsesEveryFittingInstanceSometimes() {
        List<InstanceLoad> loads = List.of(load(instance("c", "a", 1024, 1024)), load(instance("c", "b", 1024, 1024)));
        SplittableRandom random = new SplittableRandom(1);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            seen.add(Placer.place(loads, SMALL, GROUP, strategy("random", null), random).chosen().instanceId());
        }

        assertThat(seen).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void binpackFromTheIndexChoosesAsComparingEveryInstanceDoes() {
        InstanceLoad big = load(instance("c", "big", 4096, 8192));
        InstanceLoad snugA = load(instance("c", "snug-a", 4096, 1024));
        InstanceLoad snugB = load(instance("c", "snug-b", 4096, 1024));
        InstanceLoad tiny = load(instance("c", "tiny", 4096, 128));
        InstanceLoad replacedSnugA = load(instance("c", "snug-a", 4096, 8192));
        RemainingIndex index = new RemainingIndex();
        List.of(big, snugA, snugB, tiny).forEach(index::add);
        Set<InstanceLoad> replaced = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        replaced.add(snugA);
        Placer.Indexed indexed = new Placer.Indexed(index, replaced, List.of(replacedSnugA));
        List<InstanceLoad> loads = List.of(big, replacedSnugA, snugB, tiny);

        Placer.Decision decision = Placer.place(loads, indexed, SMALL, GROUP, strategy("binpack", "memory"),
                new SplittableRandom(3));

        assertThat(decision.chosen()).isSameAs(snugB);
    }

    @Test
    void binpackFromTheIndexBreaksTiesAmongEveryEquallyFullInstance() {
        RemainingIndex index = new RemainingIndex();
        List<InstanceLoad> loads = List.of(load(instance("c", "a", 1024, 1024)), load(instance("c", "b", 1024, 1024)),
                load(instance("c", "c", 1024, 1024)), load(instance("c", "roomy", 1024, 4096)));
        loads.forEach(index::add);
        Placer.Indexed indexed = new Placer.Indexed(index, Set.of(), List.of());
        SplittableRandom random = new SplittableRandom(5);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            seen.add(Placer.place(loads, indexed, SMALL, GROUP, strategy("binpack", "memory"), random)
                    .chosen().instanceId());
        }

        assertThat(seen).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void binpackFromTheIndexReportsEveryUnfitInstance() {
        RemainingIndex index = new RemainingIndex();
        List<InstanceLoad> loads = List.of(load(instance("c", "weak", 64, 8192)), load(instance("c", "small", 4096, 128)));
        loads.forEach(index::add);

        Placer.Decision decision = Placer.place(loads, new Placer.Indexed(index, Set.of(), List.of()), SMALL, GROUP,
                strategy("binpack", "cpu"), new SplittableRandom(1));

        assertThat(decision.failures()).extracting(Failure::reason).containsExactly("RESOURCE:CPU", "RESOURCE:MEMORY");
    }

    @Test
    void eachUnfitInstanceIsReportedWithItsReason() {
        List<InstanceLoad> loads = List.of(
                load(instance("c", "weak", 64, 8192)),
                load(instance("c", "small", 4096, 128)),
                load(instance("c", "draining", 4096, 8192).toBuilder().status("DRAINING").build()));

        Placer.Decision decision = Placer.place(loads, SMALL, GROUP, PlacementRules.NONE, new SplittableRandom(1));

        assertThat(decision.isPlaced()).isFalse();
        assertThat(decision.failures()).extracting(Failure::arn, Failure::reason).containsExactly(
                tuple(TestInstances.arn("c", "weak"), "RESOURCE:CPU"),
                tuple(TestInstances.arn("c", "small"), "RESOURCE:MEMORY"));
    }

    @Test
    void requiredAttributesMustBePresentWithTheirValue() {
        Demand needsGpu = new Demand(0, 0, Set.of(), Set.of(), List.of(attribute("gpu", null), attribute("stack", "prod")));
        InstanceLoad both = load(instance("c", "both", 1024, 1024, attribute("gpu", null), attribute("stack", "prod")));
        InstanceLoad wrongStack = load(instance("c", "qa", 1024, 1024, attribute("gpu", null), attribute("stack", "qa")));
        InstanceLoad none = load(instance("c", "none", 1024, 1024));

        assertThat(Placer.unfit(both, needsGpu, GROUP, PlacementRules.NONE)).isEmpty();
        assertThat(Placer.unfit(wrongStack, needsGpu, GROUP, PlacementRules.NONE)).contains("ATTRIBUTE");
        assertThat(Placer.unfit(none, needsGpu, GROUP, PlacementRules.NONE)).contains("ATTRIBUTE");
    }

    @Test
    void distinctInstanceSkipsInstancesThatRunTheGroup() {
        List<InstanceLoad> loads = List.of(
                load(instance("c", "taken", 4096, 8192), GROUP, 1),
                load(instance("c", "free", 4096, 8192), "family:other", 4));

        assertThat(chosen(loads, SMALL, constraint("distinctInstance", null))).isEqualTo("free");
        assertThat(Placer.unfit(loads.get(0), SMALL, GROUP, constraint("distinctInstance", null)))
                .contains("DistinctInstance placement constraint unsatisfied.");
    }

    @Test
    void memberOfKeepsOnlyMatchingInstances() {
        List<InstanceLoad> loads = List.of(
                load(instance("c", "t2", 4096, 8192, attribute("ecs.instance-type", "t2.micro"))),
                load(instance("c", "m5", 4096, 8192, attribute("ecs.instance-type", "m5.large"))));

        assertThat(chosen(loads, SMALL, constraint("memberOf", "attribute:ecs.instance-type =~ m5.*"))).isEqualTo("m5");
        assertThat(Placer.unfit(loads.get(0), SMALL, GROUP, constraint("memberOf", "attribute:ecs.instance-type == m5.large")))
                .contains("MemberOf placement constraint unsatisfied.");
    }

    @Test
    void memberOfSeesTheTaskGroupsOnEachInstance() {
        List<InstanceLoad> loads = List.of(
                load(instance("c", "with-db", 4096, 8192), "service:db", 1),
                load(instance("c", "alone", 4096, 8192)));

        assertThat(chosen(loads, SMALL, constraint("memberOf", "task:group == service:db"))).isEqualTo("with-db");
        assertThat(chosen(loads, SMALL, constraint("memberOf", "not(task:group == service:db)"))).isEqualTo("alone");
    }
}
