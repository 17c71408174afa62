package io.berth.control.task;

import io.berth.control.instance.ContainerInstances;
import io.berth.control.placement.InstanceLoad;
import io.berth.control.placement.PlacementView;
import io.berth.control.state.Transaction;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/** Starts a write's {@link PlacementView} of a cluster from the views of its committed instances and tasks. */
final class PlacementViews {

    private PlacementViews() {
    }

    /**
     * The instances of a cluster as placement sees them, to be updated as this write places tasks; with
     * {@code countGroups}, each instance's live tasks counted by group.
     */
    static PlacementView of(Transaction tx, String clusterName, boolean countGroups) {
        ClusterInstanceLoads committed = ClusterInstanceLoads.of(tx.region());
        LiveTaskGroups live = LiveTaskGroups.of(tx.region());
        Map<String, Map<String, Integer>> groups = countGroups ? live.of(clusterName) : Map.of();
        PlacementView view;
        if (countGroups && groups.size() > committed.size(clusterName) / 4) {
            // Most instances run tasks, so most differ from the remaining-resources index anyway: start from the
            // view's counted list, kept between writes, rather than count every instance's tasks here.
            view = new PlacementView(committed.countedCopyOf(clusterName, live), null);
        } else {
            view = new PlacementView(committed.copyOf(clusterName), committed.byRemaining(clusterName));
            List<InstanceLoad> loads = view.loads();
            for (int i = 0; i < loads.size() && !groups.isEmpty(); i++) {
                Map<String, Integer> counted = groups.get(loads.get(i).instance().containerInstanceArn());
                if (counted != null) {
                    view.replace(i, loads.get(i).withGroups(counted));
                }
            }
        }
        if (tx.touches(ContainerInstances.KIND)) {
            // This write has already changed some instances: placement must see them as changed.
            List<InstanceLoad> loads = view.loads();
            for (int i = 0; i < loads.size(); i++) {
                ContainerInstance stored = loads.get(i).instance();
                ContainerInstance instance = tx.get(ContainerInstances.KIND,
                        ContainerInstances.key(clusterName, ContainerInstances.idOf(stored))).orElse(stored);
                if (instance != stored) {
                    view.replace(i, new InstanceLoad(instance,
                            groups.getOrDefault(instance.containerInstanceArn(), Map.of())));
                }
            }
        }
        return view;
    }
}
