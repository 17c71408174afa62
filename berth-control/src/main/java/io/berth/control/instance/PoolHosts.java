package io.berth.control.instance;

import io.berth.control.Scope;
import io.berth.control.fargate.FargatePool;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.task.LiveTasksByInstance;
import io.berth.control.task.Tasks;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The hosts of a scope's Fargate pool as an operator sees them, which the ECS API never shows: each registered
 * host with the tasks of every cluster it runs.
 */
public final class PoolHosts {

    private final State state;

    public PoolHosts(State state) {
        this.state = state;
    }

    /** The pool's ACTIVE and DRAINING hosts in id order, with their running and pending tasks counted. */
    public List<ContainerInstance> list(Scope scope) {
        Region region = state.region(scope);
        return ContainerInstances.inCluster(region, FargatePool.NAME).stream()
                .filter(i -> ContainerInstances.ACTIVE.equals(i.status())
                        || ContainerInstances.DRAINING.equals(i.status()))
                .map(i -> counted(region, i))
                .toList();
    }

    private static ContainerInstance counted(Region region, ContainerInstance host) {
        int running = 0;
        int pending = 0;
        for (Task task : LiveTasksByInstance.of(region, host.containerInstanceArn())) {
            if (Tasks.RUNNING.equals(task.lastStatus())) {
                running++;
            } else {
                pending++;
            }
        }
        return host.toBuilder().runningTasksCount(running).pendingTasksCount(pending).build();
    }
}
