package io.berth.control.task;

import io.berth.control.instance.ContainerInstances;
import io.berth.control.placement.InstanceLoad;
import io.berth.control.placement.RemainingIndex;
import io.berth.control.state.Region;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

        List<InstanceLoad> loads() {
            if (stale) {
                loads = new ArrayList<>(byId.values());
                positions.clear();
                int position = 0;
                for (String id : byId.keySet()) {
                    positions.put(id, position++);
                }
                stale = false;
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
        } else {
            cluster.stale = true;
        }
    }
}
