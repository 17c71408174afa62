package io.berth.control.instance;

import io.berth.control.state.Region;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/**
 * The committed container instances of each cluster by EC2 instance id: a registration without an ARN looks
 * for the host's earlier registration, and would otherwise go through every instance of the cluster, which
 * made registering a fleet take time growing with the square of its size. Read under the region's write lock.
 */
final class InstancesByEc2Id implements Region.View<ContainerInstance> {

    private static final Object KEY = InstancesByEc2Id.class;

    /** Instance keys ({@code <cluster>/<id>}) by cluster and EC2 instance id, in key order. */
    private final Map<String, Map<String, NavigableSet<String>>> byCluster = new HashMap<>();

    /** The keys of the cluster's instances registered for the EC2 instance, in key order. */
    static List<String> keys(Region region, String clusterName, String ec2InstanceId) {
        Map<String, NavigableSet<String>> cluster = region.view(ContainerInstances.KIND, KEY, InstancesByEc2Id::new)
                .byCluster.getOrDefault(clusterName, Map.of());
        NavigableSet<String> keys = cluster.get(ec2InstanceId);
        return keys == null ? List.of() : List.copyOf(keys);
    }

    @Override
    public void changed(String id, ContainerInstance before, ContainerInstance after) {
        String clusterName = id.substring(0, id.indexOf('/'));
        if (before != null && before.ec2InstanceId() != null) {
            Map<String, NavigableSet<String>> cluster = byCluster.get(clusterName);
            NavigableSet<String> keys = cluster == null ? null : cluster.get(before.ec2InstanceId());
            if (keys != null && keys.remove(id) && keys.isEmpty()) {
                cluster.remove(before.ec2InstanceId());
            }
        }
        if (after != null && after.ec2InstanceId() != null) {
            byCluster.computeIfAbsent(clusterName, k -> new HashMap<>())
                    .computeIfAbsent(after.ec2InstanceId(), k -> new TreeSet<>()).add(id);
        }
    }
}
