package io.berth.control.placement;

import io.berth.control.query.Expression;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;

/**
 * Chooses the container instance for one task. Instances that cannot take it are filtered out,
 * each with the reason ECS reports in {@code failures}; the rest are ordered by the strategies
 * (the first strategy decides, later ones break its ties, and remaining ties fall randomly).
 */
public final class Placer {

    public static final String ACTIVE = "ACTIVE";

    private Placer() {
    }

    /** The chosen instance, or the reasons no instance could take the task. */
    public record Decision(InstanceLoad chosen, List<Failure> failures) {

        public static Decision placed(InstanceLoad chosen) {
            return new Decision(chosen, List.of());
        }

        public boolean isPlaced() {
            return chosen != null;
        }
    }

    /**
     * Places one task among the ACTIVE instances of {@code loads}.
     *
     * @param group the task's group, for distinctInstance and spread
     */
    public static Decision place(List<InstanceLoad> loads, Demand demand, String group, PlacementRules rules,
            RandomGenerator random) {
        Comparator<InstanceLoad> order = order(rules.strategies(), loads, group);
        List<Failure> failures = new ArrayList<>();
        // One pass keeps the best instance; ties are broken uniformly at random (reservoir sampling),
        // which is what shuffling before a stable sort gives, without sorting every instance per task.
        InstanceLoad best = null;
        int ties = 0;
        for (InstanceLoad load : loads) {
            if (!ACTIVE.equals(load.instance().status())) {
                continue;
            }
            Optional<String> reason = unfit(load, demand, group, rules);
            if (reason.isPresent()) {
                failures.add(Failure.builder().arn(load.instance().containerInstanceArn()).reason(reason.get()).build());
                continue;
            }
            int compared = best == null ? -1 : order.compare(load, best);
            if (compared < 0) {
                best = load;
                ties = 1;
            } else if (compared == 0 && random.nextInt(++ties) == 0) {
                best = load;
            }
        }
        return best == null ? new Decision(null, failures) : Decision.placed(best);
    }

    /**
     * Why the instance cannot take the task, in the order ECS checks: required attributes,
     * resources, then the constraints. Whether the agent is connected does not count yet: until
     * agent sessions exist every instance reads as disconnected, and a task placed on it waits
     * PENDING for its agent.
     */
    public static Optional<String> unfit(InstanceLoad load, Demand demand, String group, PlacementRules rules) {
        for (Attribute required : demand.requiredAttributes()) {
            String value = load.attribute(required.name());
            if (value == null || required.value() != null && !required.value().equals(value)) {
                return Optional.of("ATTRIBUTE");
            }
        }
        Optional<String> shortfall = Ledger.shortfall(load, demand);
        if (shortfall.isPresent()) {
            return shortfall;
        }
        for (Expression query : rules.memberOf()) {
            if (!query.matches(load.subject())) {
                return Optional.of("MemberOf placement constraint unsatisfied.");
            }
        }
        if (rules.distinctInstance() && load.tasksIn(group) > 0) {
            return Optional.of("DistinctInstance placement constraint unsatisfied.");
        }
        return Optional.empty();
    }

    private static Comparator<InstanceLoad> order(List<PlacementStrategy> strategies, List<InstanceLoad> all,
            String group) {
        Comparator<InstanceLoad> order = (a, b) -> 0;
        for (PlacementStrategy strategy : strategies) {
            String field = strategy.field() == null ? "" : strategy.field();
            switch (strategy.typeAsString()) {
                case "binpack" -> {
                    String resource = field.toLowerCase(Locale.ROOT).equals("cpu") ? Ledger.CPU : Ledger.MEMORY;
                    order = order.thenComparingInt(load -> load.remaining(resource));
                }
                case "spread" -> {
                    if (field.equalsIgnoreCase("instanceId") || field.equalsIgnoreCase("host")) {
                        order = order.thenComparingInt(load -> load.tasksIn(group));
                    } else {
                        String attribute = field.substring("attribute:".length());
                        Map<String, Integer> perValue = new HashMap<>();
                        for (InstanceLoad load : all) {
                            perValue.merge(String.valueOf(load.attribute(attribute)), load.tasksIn(group), Integer::sum);
                        }
                        order = order.thenComparingInt(load -> perValue.get(String.valueOf(load.attribute(attribute))));
                    }
                }
                default -> {
                    // random: the shuffle before sorting already ordered ties randomly
                }
            }
        }
        return order;
    }
}
