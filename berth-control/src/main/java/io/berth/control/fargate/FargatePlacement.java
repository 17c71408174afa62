package io.berth.control.fargate;

import io.berth.control.placement.Demand;
import io.berth.control.placement.InstanceLoad;
import io.berth.control.placement.PlacementRules;
import io.berth.control.placement.Placer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Chooses the pool host of a Fargate task within one write: among the ACTIVE hosts whose agent is connected and
 * that have the attributes, CPU and memory the task needs, the one running the fewest tasks of any cluster, so that
 * tasks spread across hosts; ties fall randomly. Fargate's capacity is the hosts that can start a task now, so a
 * host whose agent is away takes none. Without such a host the task fails as Fargate fails it, for want of capacity.
 */
public final class FargatePlacement {

    private final Map<String, Integer> tasksPerHost;

    /** @param tasksPerHost the live tasks on each host by its ARN, as committed; hosts without any may be absent */
    public FargatePlacement(Map<String, Integer> tasksPerHost) {
        this.tasksPerHost = new HashMap<>(tasksPerHost);
    }

    public Placer.Decision choose(List<InstanceLoad> hosts, Demand demand, RandomGenerator random) {
        InstanceLoad best = null;
        int bestTasks = Integer.MAX_VALUE;
        int ties = 0;
        for (InstanceLoad host : hosts) {
            if (!Placer.ACTIVE.equals(host.instance().status()) || !Boolean.TRUE.equals(host.instance().agentConnected())
                    || Placer.unfit(host, demand, "", PlacementRules.NONE).isPresent()) {
                continue;
            }
            int tasks = tasksOn(host);
            if (tasks < bestTasks) {
                best = host;
                bestTasks = tasks;
                ties = 1;
            } else if (tasks == bestTasks && random.nextInt(++ties) == 0) {
                best = host;
            }
        }
        return best == null ? new Placer.Decision(null, List.of(FargateCapacity.unavailable()))
                : Placer.Decision.placed(best);
    }

    /** Counts a task this write placed on the host, for the next choice to see. */
    public void placed(InstanceLoad host) {
        tasksPerHost.merge(host.instance().containerInstanceArn(), 1, Integer::sum);
    }

    private int tasksOn(InstanceLoad host) {
        return tasksPerHost.getOrDefault(host.instance().containerInstanceArn(), 0);
    }
}
