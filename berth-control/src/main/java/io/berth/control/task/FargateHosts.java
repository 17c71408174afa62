package io.berth.control.task;

import io.berth.control.fargate.FargatePlacement;
import io.berth.control.fargate.FargatePool;
import io.berth.control.placement.Demand;
import io.berth.control.placement.InstanceLoad;
import io.berth.control.placement.PlacementView;
import io.berth.control.placement.Placer;
import io.berth.control.state.Transaction;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The hosts of the scope's Fargate pool as one write places tasks of a cluster on them: the claims of tasks of
 * every cluster count, and each task placed is counted on its host for the next choice.
 */
final class FargateHosts {

    private final PlacementView view;
    private final FargatePlacement placement;

    private FargateHosts(PlacementView view, FargatePlacement placement) {
        this.view = view;
        this.placement = placement;
    }

    static FargateHosts of(Transaction tx) {
        PlacementView view = PlacementViews.of(tx, FargatePool.NAME, false);
        Map<String, Integer> tasks = new HashMap<>();
        for (InstanceLoad host : view.loads()) {
            String arn = host.instance().containerInstanceArn();
            tasks.put(arn, LiveTasksByInstance.count(tx.region(), arn));
        }
        return new FargateHosts(view, new FargatePlacement(tasks));
    }

    Placer.Decision place(Demand demand, RandomGenerator random) {
        return placement.choose(view.loads(), demand, random);
    }

    /** Records a task of the cluster on the host {@link #place} chose, claiming its resources there. */
    Task record(NewTasks newTasks, Transaction tx, Cluster cluster, InstanceLoad host, Launch launch, Instant now) {
        Task task = newTasks.record(tx, cluster, view, host, launch, now);
        placement.placed(host);
        return task;
    }
}
