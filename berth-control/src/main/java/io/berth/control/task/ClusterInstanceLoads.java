package io.berth.control.task;

import io.berth.control.instance.ContainerInstances;
import io.berth.control.placement.InstanceLoad;
import io.berth.control.placement.RemainingIndex;
import io.berth.control.state.Region;
import io.berth.model.Arns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/**
 * Each cluster's container instances as placement sees them, in id order, kept up to date as
 * instances are committed. Placing a task then starts from a copy of this list instead of looking
 * every instance up and working out its ledger again for every RunTask.
 */
final class ClusterInstanceLoads implements Region.View<ContainerInstance> {

    static final Object KEY = ClusterInstanceLoads.class;

    /**
     * One cluster's instances: ordered by stored id, with each id's place in the list. A new or
     * removed id marks the list stale, to be rebuilt when next asked for: filling the view from a
     * table of thousands of instances would otherwise rebuild it once per instance.
     */
    private static final class Cluster {
        final TreeMap<String, InstanceLoad> byId = new TreeMap<>();
        final Map<String, Integer> positions = new HashMap<>();
        final RemainingIndex byRemaining = new RemainingIndex();
        List<InstanceLoad> loads = new ArrayList<>();
        boolean stale;
        /**
         * The same instances with their live tasks counted by group, at the same positions; null until asked for
         * and when {@link #loads} was rebuilt. {@code uncounted} holds the ids of instances changed since.
         */
        List<InstanceLoad> counted;
        final Set<String> uncounted = new HashSet<>();

        List<InstanceLoad> loads() {
            if (stale) {
                loads = new ArrayList<>(byId.values());
                positions.clear();
                int position = 0;
                for (String id : byId.keySet()) {
                    positions.put(id, position++);
                }
                stale = false;
                counted = null;
            }
            return loads;
        }
    }

    private final Map<String, Cluster> byCluster = new HashMap<>();

    static ClusterInstanceLoads of(Region region) {
        return region.view(ContainerInstances.KIND, KEY, ClusterInstanceLoads::new);
    }

    /** A new list of the cluster's instances, which the caller may change. */
    List<InstanceLoad> copyOf(String clusterName) {
        Cluster cluster = byCluster.get(clusterName);
        return cluster == null ? new ArrayList<>() : new ArrayList<>(cluster.loads());
    }

    /** How many instances the cluster has. */
    int size(String clusterName) {
        Cluster cluster = byCluster.get(clusterName);
        return cluster == null ? 0 : cluster.byId.size();
    }

    /**
     * A new list of the cluster's instances with their live tasks counted by group, which the caller may change.
     * The counted list is kept between calls and only the instances changed since are counted again, instead of
     * looking every instance up in {@code groups} for every placement that spreads.
     */
    List<InstanceLoad> countedCopyOf(String clusterName, LiveTaskGroups groups) {
        Cluster cluster = byCluster.get(clusterName);
        Set<String> recounted = groups.takeChanged(clusterName);
        if (cluster == null) {
            return new ArrayList<>();
        }
        List<InstanceLoad> loads = cluster.loads();
        Map<String, Map<String, Integer>> counts = groups.of(clusterName);
        if (cluster.counted == null) {
            cluster.counted = new ArrayList<>(loads.size());
            for (InstanceLoad load : loads) {
                cluster.counted.add(counted(load, counts));
            }
        } else {
            for (String id : cluster.uncounted) {
                recount(cluster, cluster.positions.get(id), counts);
            }
            for (String arn : recounted) {
                recount(cluster, cluster.positions.get(ContainerInstances.key(clusterName, Arns.lastSegment(arn))),
                        counts);
            }
        }
        cluster.uncounted.clear();
        return new ArrayList<>(cluster.counted);
    }

    private static void recount(Cluster cluster, Integer position, Map<String, Map<String, Integer>> counts) {
        if (position != null) {
            cluster.counted.set(position, counted(cluster.loads.get(position), counts));
        }
    }

    private static InstanceLoad counted(InstanceLoad load, Map<String, Map<String, Integer>> counts) {
        Map<String, Integer> groups = counts.get(load.instance().containerInstanceArn());
        return groups == null ? load : load.withGroups(groups);
    }

    /** The cluster's instances by what remains of them: the same views {@link #copyOf} lists. */
    RemainingIndex byRemaining(String clusterName) {
        Cluster cluster = byCluster.get(clusterName);
        return cluster == null ? new RemainingIndex() : cluster.byRemaining;
    }

    @Override
    public void changed(String id, ContainerInstance before, ContainerInstance after) {
        String clusterName = id.substring(0, id.indexOf('/'));
        Cluster cluster = byCluster.computeIfAbsent(clusterName, k -> new Cluster());
        if (after == null) {
            InstanceLoad removed = cluster.byId.remove(id);
            if (removed != null) {
                cluster.byRemaining.remove(removed);
            }
            cluster.stale = true;
            return;
        }
        InstanceLoad load = new InstanceLoad(after, Map.of());
        InstanceLoad replaced = cluster.byId.put(id, load);
        if (replaced != null) {
            cluster.byRemaining.remove(replaced);
        }
        cluster.byRemaining.add(load);
        Integer position = cluster.stale ? null : cluster.positions.get(id);
        if (position != null) {
            cluster.loads.set(position, load);
            cluster.uncounted.add(id);
        } else {
            cluster.stale = true;
        }
    }
}
