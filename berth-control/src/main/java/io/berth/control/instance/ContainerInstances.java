package io.berth.control.instance;

import io.berth.control.Scope;
import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import io.berth.control.state.Region;
import io.berth.control.state.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/** The container-instance kind and the lookups other families use. */
public final class ContainerInstances {

    /**
     * Stored container instances, keyed by {@link #key(String, String)}. {@code remainingResources}
     * is the ledger placement reads and changes: numeric resources (CPU, MEMORY, ...) hold what is
     * left; the string sets PORTS and PORTS_UDP list every port taken, those the host reserved at
     * registration and those its tasks use. {@code runningTasksCount} and {@code pendingTasksCount}
     * are computed from the tasks when an instance is described, not kept here.
     */
    public static final Kind<ContainerInstance> KIND = Kinds.json("container-instance", ContainerInstance.class);

    public static final String ACTIVE = "ACTIVE";
    public static final String DRAINING = "DRAINING";
    public static final String INACTIVE = "INACTIVE";

    private ContainerInstances() {
    }

    /** The id under which an instance is stored: {@code <cluster name>/<instance id>}. */
    public static String key(String clusterName, String instanceId) {
        return clusterName + "/" + instanceId;
    }

    /** Where an instance is stored, from its ARN: the cluster it names and its id. */
    public static String keyOf(String containerInstanceArn) {
        String cluster = clusterNameOf(containerInstanceArn).orElseThrow(
                () -> new IllegalArgumentException("Not a container instance ARN: " + containerInstanceArn));
        return key(cluster, containerInstanceArn.substring(containerInstanceArn.lastIndexOf('/') + 1));
    }

    /** Instances of the cluster that are ACTIVE or DRAINING. */
    public static int registeredCount(Region region, String clusterName) {
        return (int) region.withPrefix(KIND, clusterName + "/").stream()
                .filter(i -> !INACTIVE.equals(i.status()) && !"DEREGISTERING".equals(i.status()))
                .count();
    }

    /** Every instance stored for the cluster, whatever its status, in id order. */
    public static List<ContainerInstance> inCluster(Region region, String clusterName) {
        return new ArrayList<>(region.withPrefix(KIND, clusterName + "/"));
    }

    /**
     * The instance of the cluster that a request names: its id, its ARN
     * ({@code container-instance/<cluster>/<id>}) or the older ARN without the cluster.
     */
    public static Optional<ContainerInstance> find(Region region, String clusterName, String instanceRefIdOrArn) {
        return idOf(region.scope(), clusterName, instanceRefIdOrArn).flatMap(id -> region.get(KIND, key(clusterName, id)));
    }

    /** As {@link #find(Region, String, String)}, seeing the transaction's own writes. */
    public static Optional<ContainerInstance> find(Transaction tx, String clusterName, String instanceRefIdOrArn) {
        return idOf(tx.scope(), clusterName, instanceRefIdOrArn).flatMap(id -> tx.get(KIND, key(clusterName, id)));
    }

    /** The cluster name in an instance ARN ({@code …:container-instance/<cluster>/<id>}), or empty. */
    public static Optional<String> clusterNameOf(String containerInstanceArn) {
        String resource = io.berth.model.Arns.resource(containerInstanceArn).orElse("");
        String[] parts = resource.split("/");
        return parts.length == 3 && "container-instance".equals(parts[0]) ? Optional.of(parts[1]) : Optional.empty();
    }

    /** The id of an instance: the last segment of its ARN. */
    public static String idOf(ContainerInstance instance) {
        String arn = instance.containerInstanceArn();
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    static Optional<String> idOf(Scope scope, String clusterName, String ref) {
        if (ref == null || ref.isEmpty()) {
            return Optional.empty();
        }
        if (!ref.startsWith("arn:")) {
            return ref.contains("/") ? Optional.empty() : Optional.of(ref);
        }
        String prefix = scope.arn("container-instance/");
        if (!ref.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = ref.substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return rest.isEmpty() ? Optional.empty() : Optional.of(rest);
        }
        if (!rest.substring(0, slash).equals(clusterName) || slash == rest.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(rest.substring(slash + 1));
    }
}
