package io.berth.control.placement;

import io.berth.control.query.Expression;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
     * The instances of {@code loads} that differ from {@code index}: the index's views this write
     * has replaced (by identity) and the views that replaced them, which are in {@code loads}.
     */
    public record Indexed(RemainingIndex index, Set<InstanceLoad> replaced, Collection<InstanceLoad> replacements) {
    }

    /**
     * Places one task among the ACTIVE instances of {@code loads}.
     *
     * @param group the task's group, for distinctInstance and spread
     */
    public static Decision place(List<InstanceLoad> loads, Demand demand, String group, PlacementRules rules,
            RandomGenerator random) {
        return place(loads, null, demand, group, rules, random);
    }

    /**
     * Places one task among the ACTIVE instances of {@code loads}; when the first strategy is binpack
     * and {@code indexed} describes {@code loads}, only the fullest instances that fit are compared
     * (with the same outcome, ties included, as comparing every instance).
     */
    public static Decision place(List<InstanceLoad> loads, Indexed indexed, Demand demand, String group,
            PlacementRules rules, RandomGenerator random) {
        Order order = new Order(rules.strategies(), loads, group);
        Chooser chooser = new Chooser(order, demand, group, rules, random);
        // When most instances differ from the index (a service's step counts every instance's tasks
        // by group), walking it would cost more than comparing every instance.
        if (indexed != null && order.binpacksFirst() && indexed.replacements().size() <= loads.size() / 4) {
            boolean cpu = order.binpacksCpuFirst();
            for (InstanceLoad load : indexed.replacements()) {
                chooser.consider(load);
            }
            // Instances with less remaining than asked cannot fit; those with more than the best so
            // far compare worse on the first key, so neither can win nor tie.
            int needed = cpu ? demand.cpu() : demand.memory();
            for (Map.Entry<Integer, Set<InstanceLoad>> bucket
                    : indexed.index().byRemaining(cpu).tailMap(needed, true).entrySet()) {
                if (chooser.best != null && bucket.getKey() > (cpu ? chooser.best.remainingCpu()
                        : chooser.best.remainingMemory())) {
                    break;
                }
                for (InstanceLoad load : bucket.getValue()) {
                    if (!indexed.replaced().contains(load)) {
                        chooser.consider(load);
                    }
                }
            }
        } else {
            for (InstanceLoad load : loads) {
                chooser.consider(load);
            }
        }
        InstanceLoad best = chooser.best;
        return best == null ? new Decision(null, failures(loads, demand, group, rules)) : Decision.placed(best);
    }

    /**
     * Keeps the best instance of those it is shown; ties are broken uniformly at random (reservoir
     * sampling), whatever order they come in, which is what shuffling before a stable sort gives,
     * without sorting every instance per task. This runs for every candidate of every task placed,
     * so it only compares numbers; the reasons of unfit instances are worked out when none fits.
     */
    private static final class Chooser {

        private final Order order;
        private final Demand demand;
        private final String group;
        private final PlacementRules rules;
        private final RandomGenerator random;
        private final boolean onlySizes;
        InstanceLoad best;
        private int ties;

        Chooser(Order order, Demand demand, String group, PlacementRules rules, RandomGenerator random) {
            this.order = order;
            this.demand = demand;
            this.group = group;
            this.rules = rules;
            this.random = random;
            this.onlySizes = demand.requiredAttributes().isEmpty() && demand.tcpPorts().isEmpty()
                    && demand.udpPorts().isEmpty() && rules.memberOf().isEmpty();
        }

        void consider(InstanceLoad load) {
            if (!isActive(load) || !fits(load, demand, group, rules, onlySizes)) {
                return;
            }
            int compared = best == null ? -1 : order.compare(load, best);
            if (compared < 0) {
                best = load;
                ties = 1;
            } else if (compared == 0 && random.nextInt(++ties) == 0) {
                best = load;
            }
        }
    }

    private static boolean isActive(InstanceLoad load) {
        return load.isActive();
    }

    /**
     * Whether the instance can take the task: what {@link #unfit} checks, without building its
     * reason; with {@code onlySizes} (no attributes, ports or memberOf asked for) only CPU, memory
     * and distinctInstance can rule it out.
     */
    private static boolean fits(InstanceLoad load, Demand demand, String group, PlacementRules rules,
            boolean onlySizes) {
        if (load.remainingCpu() < demand.cpu() || load.remainingMemory() < demand.memory()) {
            return false;
        }
        if (!onlySizes) {
            return unfit(load, demand, group, rules).isEmpty();
        }
        return !rules.distinctInstance() || load.tasksIn(group) == 0;
    }

    private static List<Failure> failures(List<InstanceLoad> loads, Demand demand, String group, PlacementRules rules) {
        List<Failure> failures = new ArrayList<>();
        for (InstanceLoad load : loads) {
            if (!isActive(load)) {
                continue;
            }
            unfit(load, demand, group, rules).ifPresent(reason -> failures.add(
                    Failure.builder().arn(load.instance().containerInstanceArn()).reason(reason).build()));
        }
        return failures;
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

    /**
     * The strategies as numbers to compare, smallest first: the first strategy decides and later
     * ones break its ties.
     */
    private static final class Order {

        private static final int BINPACK_CPU = 0;
        private static final int BINPACK_MEMORY = 1;
        private static final int SPREAD_INSTANCES = 2;
        private static final int SPREAD_ATTRIBUTE = 3;

        private final int[] keys;
        private final String[] attributes;
        private final List<Map<String, Integer>> perValue = new ArrayList<>();
        private final String group;

        Order(List<PlacementStrategy> strategies, List<InstanceLoad> all, String group) {
            this.group = group;
            int[] keys = new int[strategies.size()];
            String[] attributes = new String[strategies.size()];
            int count = 0;
            for (PlacementStrategy strategy : strategies) {
                String field = strategy.field() == null ? "" : strategy.field();
                switch (strategy.typeAsString()) {
                    case "binpack" -> keys[count++] = field.toLowerCase(Locale.ROOT).equals("cpu")
                            ? BINPACK_CPU : BINPACK_MEMORY;
                    case "spread" -> {
                        if (field.equalsIgnoreCase("instanceId") || field.equalsIgnoreCase("host")) {
                            keys[count++] = SPREAD_INSTANCES;
                        } else {
                            String attribute = field.substring("attribute:".length());
                            Map<String, Integer> tasks = new HashMap<>();
                            for (InstanceLoad load : all) {
                                tasks.merge(String.valueOf(load.attribute(attribute)), load.tasksIn(group), Integer::sum);
                            }
                            attributes[count] = attribute;
                            perValue.add(tasks);
                            keys[count++] = SPREAD_ATTRIBUTE;
                        }
                    }
                    default -> {
                        // random: ties fall randomly anyway
                    }
                }
            }
            this.keys = java.util.Arrays.copyOf(keys, count);
            this.attributes = java.util.Arrays.copyOf(attributes, count);
        }

        boolean binpacksFirst() {
            return keys.length > 0 && (keys[0] == BINPACK_CPU || keys[0] == BINPACK_MEMORY);
        }

        boolean binpacksCpuFirst() {
            return keys.length > 0 && keys[0] == BINPACK_CPU;
        }

        int compare(InstanceLoad a, InstanceLoad b) {
            int attribute = 0;
            for (int i = 0; i < keys.length; i++) {
                int compared;
                if (keys[i] == SPREAD_ATTRIBUTE) {
                    Map<String, Integer> tasks = perValue.get(attribute++);
                    compared = Integer.compare(tasks.get(String.valueOf(a.attribute(attributes[i]))),
                            tasks.get(String.valueOf(b.attribute(attributes[i]))));
                } else {
                    compared = Integer.compare(key(keys[i], a), key(keys[i], b));
                }
                if (compared != 0) {
                    return compared;
                }
            }
            return 0;
        }

        private int key(int kind, InstanceLoad load) {
            return switch (kind) {
                case BINPACK_CPU -> load.remainingCpu();
                case BINPACK_MEMORY -> load.remainingMemory();
                default -> load.tasksIn(group);
            };
        }
    }
}
