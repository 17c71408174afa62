package io.berth.control.access;

import io.berth.control.iam.AccessRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.CreateCapacityProviderRequest;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.CreateTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.DeleteAccountSettingRequest;
import software.amazon.awssdk.services.ecs.model.DeleteAttributesRequest;
import software.amazon.awssdk.services.ecs.model.DeleteCapacityProviderRequest;
import software.amazon.awssdk.services.ecs.model.DeleteClusterRequest;
import software.amazon.awssdk.services.ecs.model.DeleteServiceRequest;
import software.amazon.awssdk.services.ecs.model.DeleteTaskDefinitionsRequest;
import software.amazon.awssdk.services.ecs.model.DeleteTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.DeregisterContainerInstanceRequest;
import software.amazon.awssdk.services.ecs.model.DeregisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.DescribeCapacityProvidersRequest;
import software.amazon.awssdk.services.ecs.model.DescribeClustersRequest;
import software.amazon.awssdk.services.ecs.model.DescribeContainerInstancesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTaskSetsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.DiscoverPollEndpointRequest;
import software.amazon.awssdk.services.ecs.model.EcsRequest;
import software.amazon.awssdk.services.ecs.model.ListAccountSettingsRequest;
import software.amazon.awssdk.services.ecs.model.ListAttributesRequest;
import software.amazon.awssdk.services.ecs.model.ListClustersRequest;
import software.amazon.awssdk.services.ecs.model.ListContainerInstancesRequest;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.ListServicesByNamespaceRequest;
import software.amazon.awssdk.services.ecs.model.ListServicesRequest;
import software.amazon.awssdk.services.ecs.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionFamiliesRequest;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsRequest;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.PutAccountSettingDefaultRequest;
import software.amazon.awssdk.services.ecs.model.PutAccountSettingRequest;
import software.amazon.awssdk.services.ecs.model.PutAttributesRequest;
import software.amazon.awssdk.services.ecs.model.PutClusterCapacityProvidersRequest;
import software.amazon.awssdk.services.ecs.model.RegisterContainerInstanceRequest;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.StartTaskRequest;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentRequest;
import software.amazon.awssdk.services.ecs.model.StopTaskRequest;
import software.amazon.awssdk.services.ecs.model.SubmitAttachmentStateChangesRequest;
import software.amazon.awssdk.services.ecs.model.SubmitContainerStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TagResourceRequest;
import software.amazon.awssdk.services.ecs.model.UntagResourceRequest;
import software.amazon.awssdk.services.ecs.model.UpdateCapacityProviderRequest;
import software.amazon.awssdk.services.ecs.model.UpdateClusterRequest;
import software.amazon.awssdk.services.ecs.model.UpdateClusterSettingsRequest;
import software.amazon.awssdk.services.ecs.model.UpdateContainerInstancesStateRequest;
import software.amazon.awssdk.services.ecs.model.UpdateServicePrimaryTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import software.amazon.awssdk.services.ecs.model.UpdateTaskSetRequest;

/**
 * What each ECS operation asks of IAM, after the Service Authorization Reference for Amazon ECS:
 * the action, the resource ARN (one request per resource a call names) and the condition keys.
 * Actions the reference lists without a resource type are asked on {@code *}. The rules read the
 * decoded request shape only; resource tags come from the current state.
 */
final class EcsAccessTable {

    /** The authorization requests of one operation, from its decoded request. */
    @FunctionalInterface
    interface Rule<Q extends EcsRequest> {
        List<Ask> asks(Lookup lookup, Q request);
    }

    private record Entry<Q extends EcsRequest>(Class<Q> requestType, Rule<Q> rule) {

        /** At least one request: a call that names none of its resources is still asked on {@code *}. */
        List<AccessRequest> requests(Lookup lookup, String operation, EcsRequest request) {
            List<Ask> asks = rule.asks(lookup, requestType.cast(request));
            if (asks.isEmpty()) {
                return List.of(lookup.anyResource(operation).build());
            }
            List<AccessRequest> requests = new ArrayList<>(asks.size());
            for (Ask ask : asks) {
                requests.add(ask.build());
            }
            return requests;
        }
    }

    private static final Map<String, Entry<?>> RULES = rules();

    private EcsAccessTable() {
    }

    static boolean covers(String operation) {
        return RULES.containsKey(operation);
    }

    static Set<String> operations() {
        return RULES.keySet();
    }

    /** The requests an operation makes; throws for an operation the table does not know. */
    static List<AccessRequest> requests(Lookup lookup, String operation, EcsRequest request) {
        Entry<?> entry = RULES.get(operation);
        if (entry == null) {
            throw new IllegalArgumentException("No authorization rule for " + operation);
        }
        return entry.requests(lookup, operation, request);
    }

    private static Map<String, Entry<?>> rules() {
        Table table = new Table();
        clusters(table);
        capacityProviders(table);
        taskDefinitions(table);
        containerInstances(table);
        tasks(table);
        services(table);
        taskSets(table);
        tags(table);
        accountSettings(table);
        return Map.copyOf(table.entries);
    }

    private static void clusters(Table t) {
        t.add("CreateCluster", CreateClusterRequest.class, (l, r) -> createWithTags(l, "CreateCluster",
                l.clusterArn(r.clusterName()), r.tags()));
        t.add("DescribeClusters", DescribeClustersRequest.class, (l, r) -> r.hasClusters()
                ? each(r.clusters(), c -> l.ask("DescribeClusters", l.clusterArn(c)).resourceTags())
                : List.of(l.ask("DescribeClusters", l.clusterArn(null)).resourceTags()));
        t.add("ListClusters", ListClustersRequest.class, (l, r) -> List.of(l.anyResource("ListClusters")));
        t.add("UpdateCluster", UpdateClusterRequest.class, (l, r) -> onCluster(l, "UpdateCluster", r.cluster()));
        t.add("UpdateClusterSettings", UpdateClusterSettingsRequest.class,
                (l, r) -> onCluster(l, "UpdateClusterSettings", r.cluster()));
        t.add("PutClusterCapacityProviders", PutClusterCapacityProvidersRequest.class, (l, r) -> List.of(
                l.ask("PutClusterCapacityProviders", l.clusterArn(r.cluster())).resourceTags()
                        .key("ecs:capacity-provider", providerArns(l, r.capacityProviders()))));
        t.add("DeleteCluster", DeleteClusterRequest.class, (l, r) -> onCluster(l, "DeleteCluster", r.cluster()));
    }

    private static void capacityProviders(Table t) {
        t.add("CreateCapacityProvider", CreateCapacityProviderRequest.class, (l, r) -> createWithTags(l,
                "CreateCapacityProvider", l.capacityProviderArn(r.name()), r.tags()));
        t.add("DescribeCapacityProviders", DescribeCapacityProvidersRequest.class, (l, r) -> r.hasCapacityProviders()
                ? each(r.capacityProviders(), p -> l.ask("DescribeCapacityProviders", l.capacityProviderArn(p))
                        .resourceTags())
                : List.of(l.anyResource("DescribeCapacityProviders")));
        t.add("UpdateCapacityProvider", UpdateCapacityProviderRequest.class, (l, r) -> List.of(
                l.ask("UpdateCapacityProvider", l.capacityProviderArn(r.name())).resourceTags()));
        t.add("DeleteCapacityProvider", DeleteCapacityProviderRequest.class, (l, r) -> List.of(
                l.ask("DeleteCapacityProvider", l.capacityProviderArn(r.capacityProvider())).resourceTags()));
    }

    /** Only DeleteTaskDefinitions names task definitions as resources; the others are asked on {@code *}. */
    private static void taskDefinitions(Table t) {
        t.add("RegisterTaskDefinition", RegisterTaskDefinitionRequest.class, (l, r) -> List.of(
                l.anyResource("RegisterTaskDefinition").requestTags(r.tags())));
        t.add("DescribeTaskDefinition", DescribeTaskDefinitionRequest.class,
                (l, r) -> List.of(l.anyResource("DescribeTaskDefinition")));
        t.add("ListTaskDefinitions", ListTaskDefinitionsRequest.class,
                (l, r) -> List.of(l.anyResource("ListTaskDefinitions")));
        t.add("ListTaskDefinitionFamilies", ListTaskDefinitionFamiliesRequest.class,
                (l, r) -> List.of(l.anyResource("ListTaskDefinitionFamilies")));
        t.add("DeregisterTaskDefinition", DeregisterTaskDefinitionRequest.class,
                (l, r) -> List.of(l.anyResource("DeregisterTaskDefinition")));
        t.add("DeleteTaskDefinitions", DeleteTaskDefinitionsRequest.class, (l, r) -> each(r.taskDefinitions(),
                td -> l.ask("DeleteTaskDefinitions", l.taskDefinitionArn(td)).resourceTags()));
    }

    private static void containerInstances(Table t) {
        t.add("RegisterContainerInstance", RegisterContainerInstanceRequest.class, (l, r) -> List.of(
                l.ask("RegisterContainerInstance", l.clusterArn(r.cluster())).resourceTags().requestTags(r.tags())));
        t.add("DeregisterContainerInstance", DeregisterContainerInstanceRequest.class,
                (l, r) -> onCluster(l, "DeregisterContainerInstance", r.cluster()));
        t.add("DescribeContainerInstances", DescribeContainerInstancesRequest.class, (l, r) -> each(
                r.containerInstances(), i -> onInstance(l, "DescribeContainerInstances", r.cluster(), i)));
        t.add("ListContainerInstances", ListContainerInstancesRequest.class,
                (l, r) -> onCluster(l, "ListContainerInstances", r.cluster()));
        t.add("UpdateContainerInstancesState", UpdateContainerInstancesStateRequest.class, (l, r) -> each(
                r.containerInstances(), i -> onInstance(l, "UpdateContainerInstancesState", r.cluster(), i)));
        t.add("PutAttributes", PutAttributesRequest.class,
                (l, r) -> onAttributeTargets(l, "PutAttributes", r.cluster(), r.attributes()));
        t.add("DeleteAttributes", DeleteAttributesRequest.class,
                (l, r) -> onAttributeTargets(l, "DeleteAttributes", r.cluster(), r.attributes()));
        t.add("ListAttributes", ListAttributesRequest.class, (l, r) -> onCluster(l, "ListAttributes", r.cluster()));
        t.add("DiscoverPollEndpoint", DiscoverPollEndpointRequest.class,
                (l, r) -> List.of(l.anyResource("DiscoverPollEndpoint")));
    }

    private static void tasks(Table t) {
        t.add("RunTask", RunTaskRequest.class, (l, r) -> List.of(
                l.ask("RunTask", l.taskDefinitionArn(r.taskDefinition())).resourceTags()
                        .cluster(l.clusterArn(r.cluster()))
                        .key("ecs:capacity-provider", strategyArns(l, r.capacityProviderStrategy()))
                        .requestTags(r.tags())));
        t.add("StartTask", StartTaskRequest.class, (l, r) -> List.of(
                l.ask("StartTask", l.taskDefinitionArn(r.taskDefinition())).resourceTags()
                        .cluster(l.clusterArn(r.cluster()))
                        .key("ecs:container-instances", r.containerInstances().stream()
                                .map(i -> l.containerInstanceArn(r.cluster(), i)).toList())
                        .requestTags(r.tags())));
        t.add("StopTask", StopTaskRequest.class, (l, r) -> List.of(onTask(l, "StopTask", r.cluster(), r.task())));
        t.add("DescribeTasks", DescribeTasksRequest.class,
                (l, r) -> each(r.tasks(), task -> onTask(l, "DescribeTasks", r.cluster(), task)));
        t.add("ListTasks", ListTasksRequest.class, (l, r) -> List.of(r.containerInstance() == null
                ? l.ask("ListTasks", l.clusterArn(r.cluster())).resourceTags().cluster(l.clusterArn(r.cluster()))
                : onInstance(l, "ListTasks", r.cluster(), r.containerInstance())));
        t.add("SubmitTaskStateChange", SubmitTaskStateChangeRequest.class,
                (l, r) -> onCluster(l, "SubmitTaskStateChange", r.cluster()));
        t.add("SubmitContainerStateChange", SubmitContainerStateChangeRequest.class,
                (l, r) -> onCluster(l, "SubmitContainerStateChange", r.cluster()));
        t.add("SubmitAttachmentStateChanges", SubmitAttachmentStateChangesRequest.class,
                (l, r) -> onCluster(l, "SubmitAttachmentStateChanges", r.cluster()));
    }

    private static void services(Table t) {
        t.add("CreateService", CreateServiceRequest.class, (l, r) -> {
            String service = l.serviceArn(r.cluster(), r.serviceName());
            List<Ask> asks = new ArrayList<>();
            asks.add(l.ask("CreateService", service).cluster(l.clusterArn(r.cluster()))
                    .key("ecs:task-definition", taskDefinitionOrNull(l, r.taskDefinition()))
                    .key("ecs:capacity-provider", strategyArns(l, r.capacityProviderStrategy()))
                    .requestTags(r.tags()));
            asks.addAll(tagOnCreate(l, "CreateService", service, r.tags()));
            return asks;
        });
        t.add("UpdateService", UpdateServiceRequest.class, (l, r) -> List.of(
                onService(l, "UpdateService", r.cluster(), r.service())
                        .key("ecs:task-definition", taskDefinitionOrNull(l, r.taskDefinition()))
                        .key("ecs:capacity-provider", strategyArns(l, r.capacityProviderStrategy()))));
        t.add("DeleteService", DeleteServiceRequest.class,
                (l, r) -> List.of(onService(l, "DeleteService", r.cluster(), r.service())));
        t.add("DescribeServices", DescribeServicesRequest.class,
                (l, r) -> each(r.services(), s -> onService(l, "DescribeServices", r.cluster(), s)));
        t.add("ListServices", ListServicesRequest.class, (l, r) -> List.of(
                l.anyResource("ListServices").cluster(l.clusterArn(r.cluster()))));
        t.add("ListServicesByNamespace", ListServicesByNamespaceRequest.class, (l, r) -> List.of(
                l.anyResource("ListServicesByNamespace").key("ecs:namespace", r.namespace())));
        t.add("ListServiceDeployments", ListServiceDeploymentsRequest.class,
                (l, r) -> List.of(onService(l, "ListServiceDeployments", r.cluster(), r.service())));
        t.add("DescribeServiceDeployments", DescribeServiceDeploymentsRequest.class, (l, r) -> each(
                r.serviceDeploymentArns(), arn -> l.ask("DescribeServiceDeployments", arn)
                        .cluster(clusterOfChild(l, arn))));
        t.add("DescribeServiceRevisions", DescribeServiceRevisionsRequest.class, (l, r) -> each(
                r.serviceRevisionArns(), arn -> l.ask("DescribeServiceRevisions", arn)
                        .cluster(clusterOfChild(l, arn))));
        t.add("StopServiceDeployment", StopServiceDeploymentRequest.class, (l, r) -> List.of(
                l.ask("StopServiceDeployment", r.serviceDeploymentArn())
                        .cluster(clusterOfChild(l, r.serviceDeploymentArn()))));
    }

    /** A task set's id is chosen when it is created, so CreateTaskSet is asked on every task set of the service. */
    private static void taskSets(Table t) {
        t.add("CreateTaskSet", CreateTaskSetRequest.class, (l, r) -> List.of(
                l.ask("CreateTaskSet", l.taskSetArn(r.cluster(), r.service(), "*"))
                        .cluster(l.clusterArn(r.cluster())).key("ecs:service", l.serviceArn(r.cluster(), r.service()))
                        .key("ecs:task-definition", taskDefinitionOrNull(l, r.taskDefinition()))
                        .key("ecs:capacity-provider", strategyArns(l, r.capacityProviderStrategy()))
                        .requestTags(r.tags())));
        t.add("UpdateTaskSet", UpdateTaskSetRequest.class,
                (l, r) -> List.of(onTaskSet(l, "UpdateTaskSet", r.cluster(), r.service(), r.taskSet())));
        t.add("DeleteTaskSet", DeleteTaskSetRequest.class,
                (l, r) -> List.of(onTaskSet(l, "DeleteTaskSet", r.cluster(), r.service(), r.taskSet())));
        t.add("DescribeTaskSets", DescribeTaskSetsRequest.class, (l, r) -> r.hasTaskSets()
                ? each(r.taskSets(), s -> onTaskSet(l, "DescribeTaskSets", r.cluster(), r.service(), s))
                : List.of(onTaskSet(l, "DescribeTaskSets", r.cluster(), r.service(), "*")));
        t.add("UpdateServicePrimaryTaskSet", UpdateServicePrimaryTaskSetRequest.class, (l, r) -> List.of(
                onService(l, "UpdateServicePrimaryTaskSet", r.cluster(), r.service())
                        .key("ecs:service", l.serviceArn(r.cluster(), r.service()))));
    }

    private static void tags(Table t) {
        t.add("TagResource", TagResourceRequest.class, (l, r) -> List.of(
                l.ask("TagResource", r.resourceArn()).resourceTags().requestTags(r.tags())));
        t.add("UntagResource", UntagResourceRequest.class, (l, r) -> List.of(
                l.ask("UntagResource", r.resourceArn()).resourceTags().tagKeys(r.tagKeys())));
        t.add("ListTagsForResource", ListTagsForResourceRequest.class, (l, r) -> List.of(
                l.ask("ListTagsForResource", r.resourceArn()).resourceTags()));
    }

    private static void accountSettings(Table t) {
        t.add("PutAccountSetting", PutAccountSettingRequest.class, (l, r) -> List.of(
                l.anyResource("PutAccountSetting").key("ecs:account-setting", r.nameAsString())));
        t.add("PutAccountSettingDefault", PutAccountSettingDefaultRequest.class, (l, r) -> List.of(
                l.anyResource("PutAccountSettingDefault").key("ecs:account-setting", r.nameAsString())));
        t.add("DeleteAccountSetting", DeleteAccountSettingRequest.class, (l, r) -> List.of(
                l.anyResource("DeleteAccountSetting").key("ecs:account-setting", r.nameAsString())));
        t.add("ListAccountSettings", ListAccountSettingsRequest.class, (l, r) -> List.of(
                l.anyResource("ListAccountSettings").key("ecs:account-setting", r.nameAsString())));
    }

    // Shared shapes of requests.

    private static List<Ask> onCluster(Lookup l, String action, String clusterRef) {
        return List.of(l.ask(action, l.clusterArn(clusterRef)).resourceTags());
    }

    private static Ask onInstance(Lookup l, String action, String clusterRef, String instanceRef) {
        return l.ask(action, l.containerInstanceArn(clusterRef, instanceRef)).resourceTags()
                .cluster(l.clusterArn(clusterRef));
    }

    private static Ask onTask(Lookup l, String action, String clusterRef, String taskRef) {
        return l.ask(action, l.taskArn(clusterRef, taskRef)).resourceTags().cluster(l.clusterArn(clusterRef));
    }

    private static Ask onService(Lookup l, String action, String clusterRef, String serviceRef) {
        return l.ask(action, l.serviceArn(clusterRef, serviceRef)).resourceTags().cluster(l.clusterArn(clusterRef));
    }

    private static Ask onTaskSet(Lookup l, String action, String clusterRef, String serviceRef, String taskSetRef) {
        return l.ask(action, l.taskSetArn(clusterRef, serviceRef, taskSetRef)).resourceTags()
                .cluster(l.clusterArn(clusterRef)).key("ecs:service", l.serviceArn(clusterRef, serviceRef));
    }

    /** Attributes target container instances (by id or ARN); each distinct target is one request. */
    private static List<Ask> onAttributeTargets(Lookup l, String action, String clusterRef, List<Attribute> attributes) {
        Set<String> targets = new LinkedHashSet<>();
        for (Attribute attribute : attributes) {
            if (attribute.targetId() != null) {
                targets.add(attribute.targetId());
            }
        }
        if (targets.isEmpty()) {
            return onCluster(l, action, clusterRef);
        }
        return each(targets, target -> onInstance(l, action, clusterRef, target));
    }

    /**
     * The creation of a resource, and, when the request tags it, the {@code ecs:TagResource} that
     * tagging on creation also needs ({@code ecs:CreateAction} names the creating action).
     */
    private static List<Ask> createWithTags(Lookup l, String action, String resource, List<Tag> tags) {
        List<Ask> asks = new ArrayList<>();
        asks.add(l.ask(action, resource).requestTags(tags));
        asks.addAll(tagOnCreate(l, action, resource, tags));
        return asks;
    }

    private static List<Ask> tagOnCreate(Lookup l, String action, String resource, List<Tag> tags) {
        if (tags == null || tags.isEmpty()) {
            return List.of();
        }
        return List.of(l.ask("TagResource", resource).requestTags(tags).key("ecs:CreateAction", action));
    }

    private static List<String> providerArns(Lookup l, List<String> providers) {
        return providers.stream().map(l::capacityProviderArn).toList();
    }

    private static List<String> strategyArns(Lookup l, List<CapacityProviderStrategyItem> strategy) {
        return strategy.stream().map(item -> l.capacityProviderArn(item.capacityProvider())).toList();
    }

    private static String taskDefinitionOrNull(Lookup l, String reference) {
        return reference == null ? null : l.taskDefinitionArn(reference);
    }

    /** The cluster ARN of a deployment or revision ARN ({@code service-deployment/<cluster>/<service>/<id>}). */
    private static String clusterOfChild(Lookup l, String arn) {
        String resource = io.berth.model.Arns.resource(arn).orElse("");
        String[] parts = resource.split("/");
        return parts.length >= 3 ? l.clusterArn(parts[1]) : null;
    }

    private static <T> List<Ask> each(Iterable<T> items, Function<T, Ask> ask) {
        List<Ask> asks = new ArrayList<>();
        for (T item : items) {
            asks.add(ask.apply(item));
        }
        return asks;
    }

    private static final class Table {
        private final Map<String, Entry<?>> entries = new HashMap<>();

        <Q extends EcsRequest> void add(String operation, Class<Q> type, Rule<Q> rule) {
            if (entries.putIfAbsent(operation, new Entry<>(type, rule)) != null) {
                throw new IllegalStateException("Two rules for " + operation);
            }
        }
    }
}
