package io.berth.control.fargate;

import io.berth.control.Scope;

/**
 * The hidden cluster that holds the hosts given to Fargate, one per account and region. It has no stored cluster
 * record: registering a host into it is what makes it exist, and every cluster lookup of the API misses it.
 */
public final class FargatePool {

    /** The pool's cluster name, which a user cannot take: cluster names allow no dots. */
    public static final String NAME = "berth.fargate";

    private static final String INSTANCE_MARK = ":container-instance/" + NAME + "/";

    private FargatePool() {
    }

    /** Whether a request's {@code cluster} member names the pool, by name or by ARN of this scope. */
    public static boolean isPool(Scope scope, String clusterRef) {
        return NAME.equals(clusterRef) || scope.arn("cluster/" + NAME).equals(clusterRef);
    }

    /**
     * Whether an agent that reports for the cluster it names may report on a task placed on the given host: an
     * agent of the pool (which names the pool) reports on the tasks placed on the pool, whatever their cluster, and
     * only on those; an agent of a cluster never reports on a task of the pool.
     */
    public static boolean mayReport(Scope scope, String reportedClusterRef, String containerInstanceArn) {
        return isPool(scope, reportedClusterRef) == isPoolHost(containerInstanceArn);
    }

    /** Whether a container instance ARN names a host of the pool. */
    public static boolean isPoolHost(String containerInstanceArn) {
        return containerInstanceArn != null && containerInstanceArn.contains(INSTANCE_MARK);
    }
}
