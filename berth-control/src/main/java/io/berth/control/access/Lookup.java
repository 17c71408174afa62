package io.berth.control.access;

import io.berth.control.Scope;
import io.berth.control.cluster.Clusters;
import io.berth.control.state.Region;
import io.berth.control.tag.Taggable;
import io.berth.control.task.Tasks;
import io.berth.control.taskdef.TaskDefinitions;
import io.berth.model.Arns;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * Turns the names and ids of a decoded request into the full ARNs policies are written against,
 * and reads a resource's current tags. Names resolve as ECS resolves them: a cluster name or ARN
 * ({@code default} when absent), {@code family}, {@code family:revision} or a task-definition ARN, a
 * task, instance or service id in its cluster. The ARN asked about is always the one of the resource
 * the operation will act on, whatever form of reference names it (an older ARN without the cluster,
 * a bare family, a revision written {@code 01}), so that a policy cannot be passed by the form of a
 * name. Nothing here checks existence: a request for a resource that does not exist is authorized on
 * the ARN it would have.
 */
final class Lookup {

    private final Scope scope;
    private final Region region;
    private final Map<String, Taggable<?>> taggables;
    private final Map<String, List<String>> globalKeys;
    private final Map<String, Optional<TaskDefinition>> resolved = new HashMap<>();

    Lookup(Scope scope, Region region, Map<String, Taggable<?>> taggables, Map<String, List<String>> globalKeys) {
        this.scope = scope;
        this.region = region;
        this.taggables = taggables;
        this.globalKeys = globalKeys;
    }

    Ask ask(String action, String resource) {
        return new Ask(this, "ecs:" + action, resource, globalKeys);
    }

    /**
     * {@code iam:PassRole} on a role the request hands to ECS, with {@code iam:PassedToService}
     * naming the service principal that will use it.
     */
    Ask passRole(String role, String toService) {
        return new Ask(this, "iam:PassRole", roleArn(role), globalKeys).key("iam:PassedToService", toService);
    }

    /** An action that ECS authorizes on no particular resource ({@code "Resource": "*"}). */
    Ask anyResource(String action) {
        return ask(action, "*");
    }

    String arn(String resource) {
        return scope.arn(resource);
    }

    String clusterArn(String clusterRef) {
        return scope.arn("cluster/" + clusterName(clusterRef));
    }

    String clusterName(String clusterRef) {
        return Clusters.nameOf(scope, clusterRef).orElseGet(() -> Arns.lastSegment(clusterRef));
    }

    String taskDefinitionArn(String reference) {
        return taskDefinition(reference).map(TaskDefinition::taskDefinitionArn).orElseGet(() ->
                Arns.isArn(reference) ? reference : scope.arn("task-definition/" + nullToEmpty(reference)));
    }

    /** The ARN the next revision of a family will have: registering asks on the revision it creates. */
    String nextTaskDefinitionArn(String family) {
        String name = nullToEmpty(family);
        int revision = region.get(TaskDefinitions.FAMILY_KIND, name).map(f -> f.lastRevision() + 1).orElse(1);
        return scope.arn("task-definition/" + name + ":" + revision);
    }

    /**
     * The stored task definition a reference names, if there is one; resolved once per request, since starting
     * tasks asks on its ARN and passes its roles.
     */
    Optional<TaskDefinition> taskDefinition(String reference) {
        if (reference == null) {
            return Optional.empty();
        }
        return resolved.computeIfAbsent(reference, r -> TaskDefinitions.resolve(region, r));
    }

    /** A role name or ARN as the role's ARN in this account. */
    String roleArn(String role) {
        return Arns.isArn(role) ? role : "arn:" + scope.partition() + ":iam::" + scope.account() + ":role/" + role;
    }

    /** The cluster name a task ARN of this scope carries ({@code task/<cluster>/<id>}); none for an id or an old ARN. */
    Optional<String> clusterOfTask(String taskRef) {
        return Tasks.clusterOf(scope, taskRef);
    }

    String taskArn(String clusterRef, String taskRef) {
        return inCluster("task", clusterRef, taskRef);
    }

    String containerInstanceArn(String clusterRef, String instanceRef) {
        return inCluster("container-instance", clusterRef, instanceRef);
    }

    String serviceArn(String clusterRef, String serviceRef) {
        return inCluster("service", clusterRef, serviceRef);
    }

    String taskSetArn(String clusterRef, String serviceRef, String taskSetRef) {
        if (Arns.isArn(taskSetRef)) {
            return taskSetRef;
        }
        return scope.arn("task-set/" + clusterName(clusterRef) + "/" + Arns.lastSegment(nullToEmpty(serviceRef)) + "/"
                + nullToEmpty(taskSetRef));
    }

    String capacityProviderArn(String reference) {
        return Arns.isArn(reference) ? reference : scope.arn("capacity-provider/" + nullToEmpty(reference));
    }

    /** A resource of the cluster: the operations look it up by the request's cluster and the reference's last segment. */
    private String inCluster(String type, String clusterRef, String ref) {
        return scope.arn(type + "/" + clusterName(clusterRef) + "/" + Arns.lastSegment(nullToEmpty(ref)));
    }

    /** The tags the resource an ARN of this scope names carries now; none for anything else. */
    List<Tag> tagsOf(String arn) {
        String prefix = scope.arn("");
        if (arn == null || !arn.startsWith(prefix)) {
            return List.of();
        }
        String resource = arn.substring(prefix.length());
        int slash = resource.indexOf('/');
        if (slash <= 0) {
            return List.of();
        }
        Taggable<?> taggable = taggables.get(resource.substring(0, slash));
        return taggable == null ? List.of() : tags(taggable, resource.substring(slash + 1));
    }

    private <T> List<Tag> tags(Taggable<T> taggable, String resourceId) {
        Optional<T> found = taggable.find(region, resourceId);
        return found.map(taggable::tags).orElse(List.of());
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
