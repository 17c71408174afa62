package io.berth.control.task;

import io.berth.control.capacity.CapacityProviderStrategies;
import io.berth.control.fargate.FargateCapacity;
import io.berth.control.network.TaskNetworks;
import io.berth.control.placement.Demand;
import io.berth.control.placement.InstanceLoad;
import io.berth.control.placement.PlacementView;
import io.berth.control.placement.Placer;
import io.berth.control.state.Transaction;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Places tasks for a service scheduler inside its own write, over one view of the cluster's
 * instances that follows the tasks placed through it, as RunTask does for its count. The view
 * counts each instance's tasks by group only when the launch's rules need it, as RunTask's does:
 * binpack then starts from the fullest instances instead of comparing every one for every task. A launch on
 * Fargate is placed on the scope's Fargate pool instead of the cluster's instances.
 */
public final class ServicePlacements {

    private final Transaction tx;
    private final Cluster cluster;
    private final PlacementView view;
    private final boolean groupsCounted;
    private final Supplier<RandomGenerator> random;
    private final NewTasks newTasks;
    private final Clock clock;
    private final Map<String, Map<String, Integer>> providerCounts = new HashMap<>();
    /** The Fargate pool, for a launch on Fargate; null otherwise. */
    private final FargateHosts fargate;
    /** The Fargate provider of the task {@link #place} chose a host for last, if any. */
    private String fargateProvider;

    ServicePlacements(Transaction tx, Cluster cluster, ServiceLaunch launch, Supplier<RandomGenerator> random,
            NewTasks newTasks, Clock clock) {
        this.tx = tx;
        this.cluster = cluster;
        this.groupsCounted = launch.rules().countsGroups();
        this.fargate = FargateCapacity.LAUNCH_TYPE.equals(launch.launchType()) ? FargateHosts.of(tx) : null;
        this.view = fargate != null ? new PlacementView(new ArrayList<>(), null)
                : PlacementViews.of(tx, cluster.clusterName(), groupsCounted);
        this.random = random;
        this.newTasks = newTasks;
        this.clock = clock;
    }

    /**
     * One task on the ACTIVE instance the rules choose, or the failures of every instance. With a
     * capacity provider strategy, the service's live tasks per provider decide the provider, and
     * only its instances are candidates.
     */
    public Placer.Decision place(ServiceLaunch launch) {
        if (launch.rules().countsGroups() && !groupsCounted) {
            throw new IllegalArgumentException("These placements were made for rules that count no groups");
        }
        Demand demand = demandOf(launch);
        if (fargate != null) {
            fargateProvider = launch.capacityProviderStrategy().isEmpty() ? null
                    : CapacityProviderStrategies.next(launch.capacityProviderStrategy(), tasksPerProvider(launch.group()));
            return fargate.place(demand, random.get());
        }
        if (launch.capacityProviderStrategy().isEmpty()) {
            return view.place(demand, launch.group(), launch.rules(), random.get());
        }
        String provider = CapacityProviderStrategies.next(launch.capacityProviderStrategy(),
                tasksPerProvider(launch.group()));
        List<InstanceLoad> candidates = view.withAttribute(CapacityProviderStrategies.ATTRIBUTE, provider);
        if (candidates.isEmpty()) {
            return new Placer.Decision(null, List.of(CapacityProviderStrategies.noInstancesIn(tx.scope(), provider)));
        }
        return view.placeAmong(candidates, demand, launch.group(), launch.rules(), random.get());
    }

    /** Records the task a decision chose and claims its resources. */
    public Task record(Placer.Decision decision, ServiceLaunch launch) {
        return recordOn(decision.chosen(), launch);
    }

    /** Why one instance cannot take the task (empty if it can), as placement judges it. */
    public Optional<String> unfit(String containerInstanceArn, ServiceLaunch launch) {
        Optional<InstanceLoad> load = view.find(containerInstanceArn);
        if (load.isEmpty() || !Placer.ACTIVE.equals(load.get().instance().status())) {
            return Optional.of("INACTIVE");
        }
        return Placer.unfit(load.get(), demandOf(launch), launch.group(), launch.rules());
    }

    /** Records a task on the given instance, which {@link #unfit} accepted. */
    public Task placeOn(String containerInstanceArn, ServiceLaunch launch) {
        return recordOn(view.find(containerInstanceArn).orElseThrow(), launch);
    }

    private Task recordOn(InstanceLoad load, ServiceLaunch launch) {
        String provider = launch.capacityProviderStrategy().isEmpty() ? null
                : fargate != null ? fargateProvider : load.attribute(CapacityProviderStrategies.ATTRIBUTE);
        if (provider != null) {
            tasksPerProvider(launch.group()).merge(provider, 1, Integer::sum);
        }
        Launch asLaunch = new Launch(launch.definition(), null, demandOf(launch), launch.launchType(),
                launch.group(), launch.startedBy(), launch.tags(), provider, launch.network(),
                launch.platformVersion());
        if (fargate != null) {
            return fargate.record(newTasks, tx, cluster, load, asLaunch, clock.instant());
        }
        return newTasks.record(tx, cluster, view, load, asLaunch, clock.instant());
    }

    private static Demand demandOf(ServiceLaunch launch) {
        return TaskNetworks.demand(Demand.of(launch.definition(), null), launch.definition(), launch.network());
    }

    /** The live tasks of a group by capacity provider, worked out once per group and kept up to date. */
    private Map<String, Integer> tasksPerProvider(String group) {
        return providerCounts.computeIfAbsent(group, g -> {
            Map<String, Integer> counts = new HashMap<>();
            for (Task task : tx.region().withPrefix(Tasks.KIND, cluster.clusterName() + "/")) {
                if (g.equals(task.group()) && task.capacityProviderName() != null
                        && !Tasks.STOPPED.equals(task.lastStatus()) && !Tasks.STOPPED.equals(task.desiredStatus())) {
                    counts.merge(task.capacityProviderName(), 1, Integer::sum);
                }
            }
            return counts;
        });
    }
}
