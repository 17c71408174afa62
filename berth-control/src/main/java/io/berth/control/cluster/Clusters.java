package io.berth.control.cluster;

import io.berth.control.Scope;
import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import io.berth.control.state.Region;
import io.berth.control.state.Transaction;
import io.berth.control.tag.Taggable;
import io.berth.model.Arns;
import io.berth.model.EcsException;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Cluster;

/**
 * The cluster kind and the lookups every other resource family uses to resolve the
 * {@code cluster} member of a request (a name or an ARN, {@code default} when absent).
 */
public final class Clusters {

    /** Stored clusters, keyed by name. Counts are not stored; they are computed when described. */
    public static final Kind<Cluster> KIND = Kinds.json("cluster", Cluster.class);

    public static final String DEFAULT = "default";
    public static final String ACTIVE = "ACTIVE";
    public static final String INACTIVE = "INACTIVE";

    /** Tags live on the stored cluster; a deleted (INACTIVE) cluster cannot be tagged. */
    public static final Taggable<Cluster> TAGGABLE = Taggable.stored("cluster", KIND,
            c -> ACTIVE.equals(c.status()), Cluster::tags, (c, tags) -> c.toBuilder().tags(tags).build());

    private Clusters() {
    }

    /**
     * The cluster name a request means: the name itself, the name in an ARN of this scope, or
     * {@code default}. An ARN of another account or region names no cluster of this scope.
     */
    public static Optional<String> nameOf(Scope scope, String clusterRef) {
        if (clusterRef == null || clusterRef.isEmpty()) {
            return Optional.of(DEFAULT);
        }
        if (!Arns.isArn(clusterRef)) {
            return Optional.of(clusterRef);
        }
        String prefix = scope.arn("cluster/");
        if (clusterRef.startsWith(prefix) && clusterRef.length() > prefix.length()) {
            return Optional.of(clusterRef.substring(prefix.length()));
        }
        return Optional.empty();
    }

    /** The ACTIVE cluster a request names, or ClusterNotFoundException. */
    public static Cluster requireActive(Region region, String clusterRef) {
        return nameOf(region.scope(), clusterRef)
                .flatMap(name -> region.get(KIND, name))
                .filter(c -> ACTIVE.equals(c.status()))
                .orElseThrow(EcsException::clusterNotFound);
    }

    public static Cluster requireActive(Transaction tx, String clusterRef) {
        return nameOf(tx.scope(), clusterRef)
                .flatMap(name -> tx.get(KIND, name))
                .filter(c -> ACTIVE.equals(c.status()))
                .orElseThrow(EcsException::clusterNotFound);
    }
}
