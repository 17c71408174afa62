package io.berth.control.capacity;

import io.berth.control.Scope;
import io.berth.control.fargate.FargateCapacity;
import io.berth.model.EcsException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Failure;

/**
 * Capacity provider strategies over instances grouped by attribute. Without autoscaling groups,
 * an instance belongs to capacity provider P when it carries the attribute
 * {@value #ATTRIBUTE} with the value P (set at registration, e.g. {@code berth agent --attribute},
 * or later with PutAttributes). The FARGATE and FARGATE_SPOT providers are the account's Fargate pool
 * (see {@link io.berth.control.fargate.FargatePool}). A strategy splits tasks as ECS does: the first
 * {@code base} tasks go to the one provider with a base, the rest are shared in proportion to the weights.
 */
public final class CapacityProviderStrategies {

    /** The instance attribute that names the capacity provider an instance belongs to. */
    public static final String ATTRIBUTE = "ecs.capacity-provider";

    static final int MAX_ITEMS = 20;
    private static final int MAX_WEIGHT = 1000;
    private static final int MAX_BASE = 100000;

    private CapacityProviderStrategies() {
    }

    /**
     * The strategy a task launch follows: the requested one, else the cluster's default when no
     * launch type is given either; empty when tasks launch by launch type.
     */
    public static List<CapacityProviderStrategyItem> effective(List<CapacityProviderStrategyItem> requested,
            String launchType, Cluster cluster) {
        if (requested != null && !requested.isEmpty()) {
            if (launchType != null) {
                throw EcsException.invalidParameter(
                        "Specifying both a launch type and capacity provider strategy is not supported.");
            }
            validate(requested, cluster);
            return List.copyOf(requested);
        }
        if (launchType == null && cluster.hasDefaultCapacityProviderStrategy()
                && !cluster.defaultCapacityProviderStrategy().isEmpty()) {
            return List.copyOf(cluster.defaultCapacityProviderStrategy());
        }
        return List.of();
    }

    /** Checks a strategy as ECS does: size, one base at most, weights and bases in range, providers of the cluster. */
    public static void validate(List<CapacityProviderStrategyItem> strategy, Cluster cluster) {
        if (strategy.size() > MAX_ITEMS) {
            throw EcsException.invalidParameter("capacityProviderStrategy can have at most " + MAX_ITEMS + " items.");
        }
        Set<String> seen = new HashSet<>();
        int withBase = 0;
        boolean anyWeight = false;
        List<String> associated = cluster.hasCapacityProviders() ? cluster.capacityProviders() : List.of();
        for (CapacityProviderStrategyItem item : strategy) {
            String name = item.capacityProvider();
            if (name == null || name.isEmpty()) {
                throw EcsException.invalidParameter("capacityProvider can not be blank.");
            }
            if (!seen.add(name)) {
                throw EcsException.invalidParameter("The capacity provider " + name
                        + " appears more than once in the capacity provider strategy.");
            }
            if (item.weight() != null && (item.weight() < 0 || item.weight() > MAX_WEIGHT)) {
                throw EcsException.invalidParameter("Capacity provider weight must be between 0 and 1000.");
            }
            if (item.base() != null && (item.base() < 0 || item.base() > MAX_BASE)) {
                throw EcsException.invalidParameter("Capacity provider base must be between 0 and 100000.");
            }
            if (item.base() != null && item.base() > 0) {
                withBase++;
            }
            anyWeight |= weight(item) > 0;
            if (!associated.contains(name)) {
                throw EcsException.invalidParameter("The specified capacity provider strategy cannot contain a "
                        + "capacity provider that is not associated with the cluster. Associate the capacity "
                        + "provider with the cluster or specify a valid capacity provider and try again.");
            }
        }
        FargateCapacity.refuseMix(strategy);
        if (withBase > 1) {
            throw EcsException.invalidParameter(
                    "Only one capacity provider in a capacity provider strategy can have a base specified.");
        }
        if (strategy.size() > 1 && !anyWeight) {
            throw EcsException.invalidParameter(
                    "When multiple capacity providers are specified, at least one of them must have a weight greater "
                    + "than 0.");
        }
    }

    /**
     * The provider of the next task, given how many tasks each provider already has: the provider
     * with a base until it holds its base, then the provider furthest below its share of the rest
     * by weight (ties go to the earlier item). Repeated, this gives base first and then the weight
     * ratio, whatever the starting counts.
     */
    public static String next(List<CapacityProviderStrategyItem> strategy, Map<String, Integer> counts) {
        for (CapacityProviderStrategyItem item : strategy) {
            if (base(item) > 0 && counts.getOrDefault(item.capacityProvider(), 0) < base(item)) {
                return item.capacityProvider();
            }
        }
        CapacityProviderStrategyItem best = null;
        double bestLoad = Double.MAX_VALUE;
        for (CapacityProviderStrategyItem item : strategy) {
            if (weight(item) == 0) {
                continue;
            }
            int beyondBase = Math.max(0, counts.getOrDefault(item.capacityProvider(), 0) - base(item));
            double load = (beyondBase + 1) / (double) weight(item);
            if (load < bestLoad) {
                best = item;
                bestLoad = load;
            }
        }
        // A lone provider may have weight 0: it takes every task.
        return best == null ? strategy.get(0).capacityProvider() : best.capacityProvider();
    }

    /** The provider an instance belongs to, or null. */
    public static String providerOf(List<Attribute> attributes) {
        for (Attribute attribute : attributes) {
            if (ATTRIBUTE.equals(attribute.name()) && attribute.value() != null && !attribute.value().isEmpty()) {
                return attribute.value();
            }
        }
        return null;
    }

    /** The instance with {@code capacityProviderName} following its attribute, as stored and described. */
    public static ContainerInstance withProviderName(ContainerInstance instance) {
        String provider = providerOf(instance.attributes());
        return java.util.Objects.equals(provider, instance.capacityProviderName()) ? instance
                : instance.toBuilder().capacityProviderName(provider).build();
    }

    private static int base(CapacityProviderStrategyItem item) {
        return item.base() == null ? 0 : item.base();
    }

    private static int weight(CapacityProviderStrategyItem item) {
        return item.weight() == null ? 0 : item.weight();
    }

    /** Why a task of a capacity provider could not be placed when no ACTIVE instance belongs to it. */
    public static Failure noInstancesIn(Scope scope, String provider) {
        return Failure.builder().arn(scope.arn("capacity-provider/" + provider)).reason("MISSING")
                .detail("No ACTIVE container instances have the attribute " + ATTRIBUTE + "=" + provider + ".")
                .build();
    }
}
