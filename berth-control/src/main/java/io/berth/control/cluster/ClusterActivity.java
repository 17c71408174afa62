package io.berth.control.cluster;

import io.berth.control.state.Region;

/**
 * What runs in a cluster, counted by the families that own instances, tasks and services. The
 * cluster family reads it to describe a cluster and to refuse deleting a busy one.
 */
@FunctionalInterface
public interface ClusterActivity {

    record Counts(int registeredInstances, int runningTasks, int pendingTasks, int activeServices,
            int drainingServices) {

        public static final Counts NONE = new Counts(0, 0, 0, 0, 0);
    }

    Counts of(Region region, String clusterName);
}
