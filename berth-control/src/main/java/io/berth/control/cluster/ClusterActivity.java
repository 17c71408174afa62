package io.berth.control.cluster;

import io.berth.control.state.Region;

/**
 * What runs in a cluster, counted by the families that own instances, tasks and services. The
 * cluster family reads it to describe a cluster and to refuse deleting a busy one.
 */
@FunctionalInterface
public interface ClusterActivity {

    /** The counts of tasks and services include those on Fargate, which the {@code fargate} counts tell apart. */
    record Counts(int registeredInstances, int runningTasks, int pendingTasks, int activeServices,
            int drainingServices, Fargate fargate) {

        public static final Counts NONE = new Counts(0, 0, 0, 0, 0);

        /** Counts with nothing on Fargate. */
        public Counts(int registeredInstances, int runningTasks, int pendingTasks, int activeServices,
                int drainingServices) {
            this(registeredInstances, runningTasks, pendingTasks, activeServices, drainingServices, Fargate.NONE);
        }
    }

    /** What of a cluster's tasks and services runs on Fargate. */
    record Fargate(int runningTasks, int pendingTasks, int activeServices, int drainingServices) {

        public static final Fargate NONE = new Fargate(0, 0, 0, 0);
    }

    Counts of(Region region, String clusterName);
}
