package io.berth.control.instance;

import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import io.berth.control.state.Region;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

/** The container-instance kind and the lookups other families use. */
public final class ContainerInstances {

    /** Stored container instances, keyed by {@code <cluster name>/<instance id>}. */
    public static final Kind<ContainerInstance> KIND = Kinds.json("container-instance", ContainerInstance.class);

    private ContainerInstances() {
    }

    /** Instances of the cluster that are ACTIVE or DRAINING. */
    public static int registeredCount(Region region, String clusterName) {
        return (int) region.withPrefix(KIND, clusterName + "/").stream()
                .filter(i -> !"INACTIVE".equals(i.status()) && !"DEREGISTERING".equals(i.status()))
                .count();
    }
}
