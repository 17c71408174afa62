package io.berth.control.service;

import io.berth.control.Scope;
import io.berth.control.fargate.FargateCapacity;
import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import io.berth.control.state.Region;
import io.berth.control.state.Transaction;
import io.berth.control.tag.Taggable;
import io.berth.model.Arns;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;

/** The service kinds and the lookups other families use. */
public final class Services {

    /**
     * Stored services, keyed by {@code <cluster name>/<service name>}. The stored value holds the
     * deployments with their counts as the scheduler last saw them, and the newest events.
     */
    public static final Kind<Service> KIND = Kinds.json("service", Service.class);

    /** Service deployments, keyed by {@code <cluster>/<service>/<deployment number>}. */
    public static final Kind<ServiceDeployment> DEPLOYMENTS = Kinds.json("service-deployment", ServiceDeployment.class);

    /** Service revisions, keyed by {@code <cluster>/<service>/<revision number>}. */
    public static final Kind<ServiceRevision> REVISIONS = Kinds.json("service-revision", ServiceRevision.class);

    /** Tags of services, by the {@code <cluster>/<name>} of their ARN; an INACTIVE service keeps its tags. */
    public static final Taggable<Service> TAGGABLE = Taggable.stored("service", KIND,
            s -> !"INACTIVE".equals(s.status()), Service::tags, (s, tags) -> s.toBuilder().tags(tags).build());

    public static final String ACTIVE = "ACTIVE";
    public static final String DRAINING = "DRAINING";
    public static final String INACTIVE = "INACTIVE";

    /** The task group of a service's tasks. */
    static final String GROUP_PREFIX = "service:";

    private Services() {
    }

    public static String key(String clusterName, String serviceName) {
        return clusterName + "/" + serviceName;
    }

    /** Services of the cluster in the given status. */
    public static int countIn(Region region, String clusterName, String status) {
        return (int) region.withPrefix(KIND, clusterName + "/").stream().filter(s -> status.equals(s.status())).count();
    }

    /** How many services of the cluster with that status run their tasks on Fargate. */
    public static int countOnFargateIn(Region region, String clusterName, String status) {
        return (int) region.withPrefix(KIND, clusterName + "/").stream()
                .filter(s -> status.equals(s.status()) && (FargateCapacity.LAUNCH_TYPE.equals(s.launchTypeAsString())
                        || FargateCapacity.usesFargate(s.capacityProviderStrategy())))
                .count();
    }

    static String arn(Scope scope, String clusterName, String serviceName) {
        return scope.arn("service/" + clusterName + "/" + serviceName);
    }

    /**
     * The service name a request means: a name, or an ARN of this scope in either the form with the
     * cluster ({@code service/<cluster>/<name>}, which must be this cluster) or the older one.
     */
    static Optional<String> nameOf(Scope scope, String clusterName, String serviceRef) {
        if (serviceRef == null || serviceRef.isEmpty()) {
            return Optional.empty();
        }
        if (!Arns.isArn(serviceRef)) {
            return serviceRef.contains("/") ? Optional.empty() : Optional.of(serviceRef);
        }
        String prefix = scope.arn("service/");
        if (!serviceRef.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = serviceRef.substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return Optional.of(rest);
        }
        return rest.substring(0, slash).equals(clusterName) ? Optional.of(rest.substring(slash + 1)) : Optional.empty();
    }

    static Optional<Service> find(Region region, String clusterName, String serviceRef) {
        return nameOf(region.scope(), clusterName, serviceRef).flatMap(name -> region.get(KIND, key(clusterName, name)));
    }

    static Optional<Service> find(Transaction tx, String clusterName, String serviceRef) {
        return nameOf(tx.scope(), clusterName, serviceRef).flatMap(name -> tx.get(KIND, key(clusterName, name)));
    }

    /** The cluster name in a service ARN of the newer form ({@code service/<cluster>/<name>}). */
    static Optional<String> clusterOf(Scope scope, String serviceArn) {
        String prefix = scope.arn("service/");
        if (serviceArn == null || !serviceArn.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = serviceArn.substring(prefix.length());
        int slash = rest.indexOf('/');
        return slash <= 0 ? Optional.empty() : Optional.of(rest.substring(0, slash));
    }
}
