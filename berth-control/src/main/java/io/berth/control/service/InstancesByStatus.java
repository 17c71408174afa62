package io.berth.control.service;

import io.berth.control.instance.ContainerInstances;
import io.berth.control.state.Region;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/**
 * Each cluster's container instance ARNs, ACTIVE or not, as committed: every step of every
 * service asks which instances are ACTIVE and which are not, and would otherwise go through the
 * whole cluster's instances each time. Read under the region's write lock.
 */
final class InstancesByStatus implements Region.View<ContainerInstance> {

    private static final Object KEY = InstancesByStatus.class;

    /** One cluster's instance ARNs: those ACTIVE and the others (DRAINING, INACTIVE, ...). */
    record Cluster(Set<String> active, Set<String> notActive) {
    }

    private final Map<String, Cluster> byCluster = new HashMap<>();

    /** The cluster's instances by status, read-only. */
    static Cluster of(Region region, String clusterName) {
        Cluster cluster = region.view(ContainerInstances.KIND, KEY, InstancesByStatus::new).byCluster.get(clusterName);
        return cluster == null ? new Cluster(Set.of(), Set.of())
                : new Cluster(Collections.unmodifiableSet(cluster.active()), Collections.unmodifiableSet(cluster.notActive()));
    }

    @Override
    public void changed(String id, ContainerInstance before, ContainerInstance after) {
        Cluster cluster = byCluster.computeIfAbsent(id.substring(0, id.indexOf('/')),
                k -> new Cluster(new HashSet<>(), new HashSet<>()));
        if (before != null) {
            cluster.active().remove(before.containerInstanceArn());
            cluster.notActive().remove(before.containerInstanceArn());
        }
        if (after != null) {
            (ContainerInstances.ACTIVE.equals(after.status()) ? cluster.active() : cluster.notActive())
                    .add(after.containerInstanceArn());
        }
    }
}
