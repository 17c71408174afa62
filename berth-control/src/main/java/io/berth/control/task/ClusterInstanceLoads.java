package io.berth.control.task;

import io.berth.control.instance.ContainerInstances;
import io.berth.control.placement.InstanceLoad;
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

    /** One cluster's instances: ordered by stored id, with each id's place in the list. */
    private static final class Cluster {
        final TreeMap<String, InstanceLoad> byId = new TreeMap<>();
        final Map<String, Integer> positions = new HashMap<>();
        List<InstanceLoad> loads = new ArrayList<>();

        void reindex() {
            loads = new ArrayList<>(byId.values());
            positions.clear();
            int position = 0;
            for (String id : byId.keySet()) {
                positions.put(id, position++);
            }
        }
    }

    private final Map<String, Cluster> byCluster = new HashMap<>();

    static ClusterInstanceLoads of(Region region) {
        return region.view(ContainerInstances.KIND, KEY, ClusterInstanceLoads::new);
    }

    /** A new list of the cluster's instances, which the caller may change. */
    List<InstanceLoad> copyOf(String clusterName) {
        Cluster cluster = byCluster.get(clusterName);
        return cluster == null ? new ArrayList<>() : new ArrayList<>(cluster.loads);
    }

    @Override
    public void changed(String id, ContainerInstance before, ContainerInstance after) {
        String clusterName = id.substring(0, id.indexOf('/'));
        Cluster cluster = byCluster.computeIfAbsent(clusterName, k -> new Cluster());
        if (after == null) {
            cluster.byId.remove(id);
            cluster.reindex();
            return;
        }
        InstanceLoad load = new InstanceLoad(after, Map.of());
        cluster.byId.put(id, load);
        Integer position = cluster.positions.get(id);
        if (position == null) {
            cluster.reindex();
        } else {
            cluster.loads.set(position, load);
        }
    }
}
