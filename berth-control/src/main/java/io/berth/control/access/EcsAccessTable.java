package io.berth.control.access;

import io.berth.control.iam.AccessRequest;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ClusterConfiguration;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
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
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.PutAccountSettingDefaultRequest;
import software.amazon.awssdk.services.ecs.model.PutAccountSettingRequest;
import software.amazon.awssdk.services.ecs.model.PutAttributesRequest;
import software.amazon.awssdk.services.ecs.model.PutClusterCapacityProvidersRequest;
import software.amazon.awssdk.services.ecs.model.RegisterContainerInstanceRequest;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.ServiceConnectConfiguration;
import software.amazon.awssdk.services.ecs.model.StartTaskRequest;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentRequest;
import software.amazon.awssdk.services.ecs.model.StopTaskRequest;
import software.amazon.awssdk.services.ecs.model.SubmitAttachmentStateChangesRequest;
import software.amazon.awssdk.services.ecs.model.SubmitContainerStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TagResourceRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskOverride;
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
 * decoded request shape; resource tags, the next revision of a family and the roles of the task
 * definition a task starts from come from the current state.
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
                l.clusterArn(r.clusterName()), r.tags(), create -> create
                        .key("ecs:capacity-provider", providerArns(l, r.capacityProviders()))
                        .key("ecs:fargate-ephemeral-storage-kms-key", ephemeralStorageKey(r.configuration()))));
        t.add("DescribeClusters", DescribeClustersRequest.class, (l, r) -> r.hasClusters()
                ? each(r.clusters(), c -> l.ask("DescribeClusters", l.clusterArn(c)).resourceTags())
                : List.of(l.ask("DescribeClusters", l.clusterArn(null)).resourceTags()));
        t.add("ListClusters", ListClustersRequest.class, (l, r) -> List.of(l.anyResource("ListClusters")));
        t.add("UpdateCluster", UpdateClusterRequest.class, (l, r) -> List.of(
                l.ask("UpdateCluster", l.clusterArn(r.cluster())).resourceTags()
                        .key("ecs:fargate-ephemeral-storage-kms-key", ephemeralStorageKey(r.configuration()))));
        t.add("UpdateClusterSettings", UpdateClusterSettingsRequest.class,
                (l, r) -> onCluster(l, "UpdateClusterSettings", r.cluster()));
        t.add("PutClusterCapacityProviders", PutClusterCapacityProvidersRequest.class, (l, r) -> List.of(
                l.ask("PutClusterCapacityProviders", l.clusterArn(r.cluster())).resourceTags()
                        .key("ecs:capacity-provider", providerArns(l, r.capacityProviders()))));
        t.add("DeleteCluster", DeleteClusterRequest.class, (l, r) -> onCluster(l, "DeleteCluster", r.cluster()));
    }

    private static void capacityProviders(Table t) {
        t.add("CreateCapacityProvider", CreateCapacityProviderRequest.class, (l, r) -> {
            List<Ask> asks = new ArrayList<>(createWithTags(l, "CreateCapacityProvider",
                    l.capacityProviderArn(r.name()), r.tags(), create -> create));
            asks.addAll(onProviderCluster(l, r.cluster()));
            return asks;
        });
        t.add("DescribeCapacityProviders", DescribeCapacityProvidersRequest.class, (l, r) -> r.hasCapacityProviders()
                ? each(r.capacityProviders(), p -> l.ask("DescribeCapacityProviders", l.capacityProviderArn(p))
                        .resourceTags())
                : List.of(l.anyResource("DescribeCapacityProviders")));
        t.add("UpdateCapacityProvider", UpdateCapacityProviderRequest.class, (l, r) -> concat(
                l.ask("UpdateCapacityProvider", l.capacityProviderArn(r.name())).resourceTags(),
                onProviderCluster(l, r.cluster())));
        t.add("DeleteCapacityProvider", DeleteCapacityProviderRequest.class, (l, r) -> concat(
                l.ask("DeleteCapacityProvider", l.capacityProviderArn(r.capacityProvider())).resourceTags(),
                onProviderCluster(l, r.cluster())));
    }

    /**
     * Registering is asked on the revision it creates (and passes the roles it names); describing,
     * listing and deregistering are asked on {@code *}; deleting on each named revision.
     */
    private static void taskDefinitions(Table t) {
        t.add("RegisterTaskDefinition", RegisterTaskDefinitionRequest.class, (l, r) -> {
            List<Ask> asks = new ArrayList<>(createWithTags(l, "RegisterTaskDefinition",
                    l.nextTaskDefinitionArn(r.family()), r.tags(), create -> create
                            .key("ecs:compute-compatibility", r.requiresCompatibilitiesAsStrings())
                            .key("ecs:task-cpu", sizeKey(r.cpu(), "vcpu"))
                            .key("ecs:task-memory", sizeKey(r.memory(), "gb"))
                            .key("ecs:privileged", privileged(r.containerDefinitions()))));
            asks.addAll(passTaskRoles(l, r.taskRoleArn(), r.executionRoleArn()));
            return asks;
        });
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
        t.add("RegisterContainerInstance", RegisterContainerInstanceRequest.class, (l, r) -> {
            List<Ask> asks = new ArrayList<>();
            asks.add(l.ask("RegisterContainerInstance", l.clusterArn(r.cluster())).resourceTags()
                    .requestTags(r.tags()));
            // A new instance's id is chosen on registration: tagging it is asked on every instance of the cluster.
            String instance = l.containerInstanceArn(r.cluster(),
                    r.containerInstanceArn() == null ? "*" : r.containerInstanceArn());
            asks.addAll(tagOnCreate(l, "RegisterContainerInstance", instance, r.tags()));
            return asks;
        });
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
        t.add("RunTask", RunTaskRequest.class, (l, r) -> startingTasks(l, "RunTask", r.cluster(),
                r.taskDefinition(), r.overrides(), r.tags(), l.ask("RunTask", l.taskDefinitionArn(r.taskDefinition()))
                        .resourceTags().cluster(l.clusterArn(r.cluster()))
                        .key("ecs:capacity-provider", strategyArns(l, r.capacityProviderStrategy()))
                        .key("ecs:enable-execute-command", flag(r.enableExecuteCommand()))
                        .key("ecs:enable-ebs-volumes", Boolean.toString(r.hasVolumeConfigurations()))
                        .requestTags(r.tags())));
        t.add("StartTask", StartTaskRequest.class, (l, r) -> startingTasks(l, "StartTask", r.cluster(),
                r.taskDefinition(), r.overrides(), r.tags(), l.ask("StartTask",
                        l.taskDefinitionArn(r.taskDefinition())).resourceTags().cluster(l.clusterArn(r.cluster()))
                        .key("ecs:container-instances", r.containerInstances().stream()
                                .map(i -> l.containerInstanceArn(r.cluster(), i)).toList())
                        .key("ecs:enable-execute-command", flag(r.enableExecuteCommand()))
                        .key("ecs:enable-ebs-volumes", Boolean.toString(r.hasVolumeConfigurations()))
                        .requestTags(r.tags())));
        t.add("StopTask", StopTaskRequest.class, (l, r) -> List.of(onTask(l, "StopTask", r.cluster(), r.task())));
        t.add("DescribeTasks", DescribeTasksRequest.class,
                (l, r) -> each(r.tasks(), task -> onTask(l, "DescribeTasks", r.cluster(), task)));
        // The container instance is ListTasks' only resource type: listing a whole cluster is asked on *.
        t.add("ListTasks", ListTasksRequest.class, (l, r) -> List.of(r.containerInstance() == null
                ? l.anyResource("ListTasks").cluster(l.clusterArn(r.cluster()))
                : onInstance(l, "ListTasks", r.cluster(), r.containerInstance())));
        t.add("SubmitTaskStateChange", SubmitTaskStateChangeRequest.class,
                (l, r) -> onReportedTask(l, "SubmitTaskStateChange", r.cluster(), r.task()));
        t.add("SubmitContainerStateChange", SubmitContainerStateChangeRequest.class,
                (l, r) -> onReportedTask(l, "SubmitContainerStateChange", r.cluster(), r.task()));
        t.add("SubmitAttachmentStateChanges", SubmitAttachmentStateChangesRequest.class,
                (l, r) -> onCluster(l, "SubmitAttachmentStateChanges", r.cluster()));
    }

    private static void services(Table t) {
        t.add("CreateService", CreateServiceRequest.class, (l, r) -> {
            String service = l.serviceArn(r.cluster(), r.serviceName());
            List<Ask> asks = new ArrayList<>();
            asks.add(serviceSettings(l.ask("CreateService", service).cluster(l.clusterArn(r.cluster()))
                    .key("ecs:task-definition", taskDefinitionOrNull(l, r.taskDefinition()))
                    .key("ecs:capacity-provider", strategyArns(l, r.capacityProviderStrategy()))
                    .key("ecs:enable-execute-command", flag(r.enableExecuteCommand()))
                    .key("ecs:enable-ebs-volumes", Boolean.toString(r.hasVolumeConfigurations()))
                    .key("ecs:enable-ecs-managed-tags", flag(r.enableECSManagedTags()))
                    .key("ecs:enable-vpc-lattice", Boolean.toString(r.hasVpcLatticeConfigurations()))
                    .key("ecs:propagate-tags", r.propagateTagsAsString()), r.serviceConnectConfiguration(),
                    r.networkConfiguration()).requestTags(r.tags()));
            asks.addAll(tagOnCreate(l, "CreateService", service, r.tags()));
            if (r.role() != null) {
                asks.add(l.passRole(r.role(), "ecs.amazonaws.com"));
            }
            return asks;
        });
        t.add("UpdateService", UpdateServiceRequest.class, (l, r) -> List.of(serviceSettings(
                onService(l, "UpdateService", r.cluster(), r.service())
                        .key("ecs:task-definition", taskDefinitionOrNull(l, r.taskDefinition()))
                        .key("ecs:capacity-provider", strategyArns(l, r.capacityProviderStrategy()))
                        .key("ecs:enable-execute-command", flagOrNull(r.enableExecuteCommand()))
                        .key("ecs:enable-ebs-volumes", r.hasVolumeConfigurations() ? "true" : null)
                        .key("ecs:enable-ecs-managed-tags", flagOrNull(r.enableECSManagedTags()))
                        .key("ecs:enable-vpc-lattice", r.hasVpcLatticeConfigurations() ? "true" : null)
                        .key("ecs:propagate-tags", r.propagateTagsAsString()), r.serviceConnectConfiguration(),
                r.networkConfiguration())));
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
        t.add("DescribeServiceDeployments", DescribeServiceDeploymentsRequest.class, (l, r) -> eachOf(
                r.serviceDeploymentArns(), arn -> onServiceChild(l, "DescribeServiceDeployments", arn)));
        t.add("DescribeServiceRevisions", DescribeServiceRevisionsRequest.class, (l, r) -> eachOf(
                r.serviceRevisionArns(), arn -> onServiceChild(l, "DescribeServiceRevisions", arn)));
        t.add("StopServiceDeployment", StopServiceDeploymentRequest.class,
                (l, r) -> onServiceChild(l, "StopServiceDeployment", r.serviceDeploymentArn()));
    }

    /** A task set's id is chosen when it is created, so CreateTaskSet is asked on every task set of the service. */
    private static void taskSets(Table t) {
        t.add("CreateTaskSet", CreateTaskSetRequest.class, (l, r) -> {
            String taskSets = l.taskSetArn(r.cluster(), r.service(), "*");
            List<Ask> asks = new ArrayList<>();
            asks.add(l.ask("CreateTaskSet", taskSets)
                    .cluster(l.clusterArn(r.cluster())).key("ecs:service", l.serviceArn(r.cluster(), r.service()))
                    .key("ecs:task-definition", taskDefinitionOrNull(l, r.taskDefinition()))
                    .key("ecs:capacity-provider", strategyArns(l, r.capacityProviderStrategy()))
                    .requestTags(r.tags()));
            asks.addAll(tagOnCreate(l, "CreateTaskSet", taskSets, r.tags()));
            return asks;
        });
        t.add("UpdateTaskSet", UpdateTaskSetRequest.class,
                (l, r) -> List.of(onTaskSet(l, "UpdateTaskSet", r.cluster(), r.service(), r.taskSet())));
        t.add("DeleteTaskSet", DeleteTaskSetRequest.class,
                (l, r) -> List.of(onTaskSet(l, "DeleteTaskSet", r.cluster(), r.service(), r.taskSet())));
        t.add("DescribeTaskSets", DescribeTaskSetsRequest.class, (l, r) -> r.hasTaskSets()
                ? each(r.taskSets(), s -> onTaskSet(l, "DescribeTaskSets", r.cluster(), r.service(), s))
                : List.of(onTaskSet(l, "DescribeTaskSets", r.cluster(), r.service(), "*")));
        t.add("UpdateServicePrimaryTaskSet", UpdateServicePrimaryTaskSetRequest.class, (l, r) -> List.of(
                onService(l, "UpdateServicePrimaryTaskSet", r.cluster(), r.service())));
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
        // Listing carries no ecs:account-setting, even when it names a setting.
        t.add("ListAccountSettings", ListAccountSettingsRequest.class,
                (l, r) -> List.of(l.anyResource("ListAccountSettings")));
    }

    // Shared shapes of requests.

    private static List<Ask> onCluster(Lookup l, String action, String clusterRef) {
        return List.of(l.ask(action, l.clusterArn(clusterRef)).resourceTags());
    }

    /**
     * An agent's report is asked on the cluster it names and, when the task ARN names another (a Fargate pool host
     * reports on tasks of users' clusters), on the task's own cluster too: the report changes that cluster's task.
     */
    private static List<Ask> onReportedTask(Lookup l, String action, String clusterRef, String taskRef) {
        String named = l.clusterArn(clusterRef);
        return l.clusterOfTask(taskRef).map(l::clusterArn).filter(owning -> !owning.equals(named))
                .map(owning -> List.of(l.ask(action, named).resourceTags(), l.ask(action, owning).resourceTags()))
                .orElseGet(() -> List.of(l.ask(action, named).resourceTags()));
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
    private static List<Ask> createWithTags(Lookup l, String action, String resource, List<Tag> tags,
            UnaryOperator<Ask> keys) {
        List<Ask> asks = new ArrayList<>();
        asks.add(keys.apply(l.ask(action, resource)).requestTags(tags));
        asks.addAll(tagOnCreate(l, action, resource, tags));
        return asks;
    }

    private static List<Ask> tagOnCreate(Lookup l, String action, String resource, List<Tag> tags) {
        if (tags == null || tags.isEmpty()) {
            return List.of();
        }
        return List.of(l.ask("TagResource", resource).requestTags(tags).key("ecs:CreateAction", action));
    }

    /** A capacity provider of one cluster is also a change to that cluster's capacity providers. */
    private static List<Ask> onProviderCluster(Lookup l, String clusterRef) {
        if (clusterRef == null) {
            return List.of();
        }
        return List.of(l.ask("PutClusterCapacityProviders", l.clusterArn(clusterRef)).resourceTags());
    }

    /**
     * Starting tasks: the start itself, tagging the tasks it creates (their ids are not chosen yet,
     * so on every task of the cluster), and passing the task and execution roles they will run
     * with: the overrides' or else the task definition's.
     */
    private static List<Ask> startingTasks(Lookup l, String action, String clusterRef, String taskDefinition,
            TaskOverride overrides, List<Tag> tags, Ask start) {
        List<Ask> asks = new ArrayList<>();
        asks.add(start);
        asks.addAll(tagOnCreate(l, action, l.taskArn(clusterRef, "*"), tags));
        Optional<TaskDefinition> definition = l.taskDefinition(taskDefinition);
        String taskRole = overrides != null && overrides.taskRoleArn() != null ? overrides.taskRoleArn()
                : definition.map(TaskDefinition::taskRoleArn).orElse(null);
        String executionRole = overrides != null && overrides.executionRoleArn() != null
                ? overrides.executionRoleArn() : definition.map(TaskDefinition::executionRoleArn).orElse(null);
        asks.addAll(passTaskRoles(l, taskRole, executionRole));
        return asks;
    }

    /** {@code iam:PassRole} to {@code ecs-tasks.amazonaws.com} for each distinct role a task will use. */
    private static List<Ask> passTaskRoles(Lookup l, String taskRole, String executionRole) {
        Set<String> roles = new LinkedHashSet<>();
        for (String role : Arrays.asList(taskRole, executionRole)) {
            if (role != null && !role.isEmpty()) {
                roles.add(l.roleArn(role));
            }
        }
        return each(roles, role -> l.passRole(role, "ecs-tasks.amazonaws.com"));
    }

    /** The keys a service's Service Connect and awsvpc settings give. */
    private static Ask serviceSettings(Ask ask, ServiceConnectConfiguration serviceConnect,
            NetworkConfiguration network) {
        if (serviceConnect != null) {
            ask.key("ecs:enable-service-connect", flag(serviceConnect.enabled()))
                    .key("ecs:namespace", serviceConnect.namespace());
        }
        AwsVpcConfiguration vpc = network == null ? null : network.awsvpcConfiguration();
        if (vpc != null) {
            boolean publicIp = vpc.assignPublicIp() == AssignPublicIp.ENABLED;
            ask.key("ecs:subnet", vpc.subnets()).key("ecs:auto-assign-public-ip", Boolean.toString(publicIp));
        }
        return ask;
    }

    /**
     * A deployment or revision ({@code service-deployment/<cluster>/<service>/<id>}) is asked on
     * together with its service: both resource types are required.
     */
    private static List<Ask> onServiceChild(Lookup l, String action, String arn) {
        String[] parts = io.berth.model.Arns.resource(nullToEmpty(arn)).orElse("").split("/");
        if (parts.length < 4) {
            return List.of(l.ask(action, arn));
        }
        String cluster = l.clusterArn(parts[1]);
        String service = l.serviceArn(parts[1], parts[2]);
        return List.of(l.ask(action, service).resourceTags().cluster(cluster),
                l.ask(action, arn).resourceTags().cluster(cluster).key("ecs:service", service));
    }

    /** {@code "true"} when any container definition is privileged, {@code "false"} when some say no, else none. */
    private static String privileged(List<ContainerDefinition> containers) {
        String privileged = null;
        for (ContainerDefinition container : containers) {
            if (Boolean.TRUE.equals(container.privileged())) {
                return "true";
            }
            if (container.privileged() != null) {
                privileged = "false";
            }
        }
        return privileged;
    }

    /**
     * {@code ecs:task-cpu} or {@code ecs:task-memory}: the integer ECS stores (CPU units, MiB) for
     * {@code "512"}, {@code "0.5 vCPU"}, {@code "1024 MiB"} or {@code "1 GB"}. None when absent or
     * unreadable, which registration then refuses.
     */
    private static String sizeKey(String size, String unitOf1024) {
        if (size == null) {
            return null;
        }
        String text = size.trim().toLowerCase(Locale.ROOT);
        boolean scaled = text.endsWith(unitOf1024);
        String number = scaled ? text.substring(0, text.length() - unitOf1024.length()).trim()
                : text.endsWith("mib") ? text.substring(0, text.length() - 3).trim() : text;
        // A size is a few digits: a longer number, or one with an exponent, is none (and could stand for a
        // number of a billion digits).
        if (number.length() > 20 || number.indexOf('e') >= 0) {
            return null;
        }
        try {
            return scaled ? new BigDecimal(number).multiply(BigDecimal.valueOf(1024)).toBigInteger().toString()
                    : new BigInteger(number).toString();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The KMS key a cluster's configuration names for Fargate ephemeral storage, if any. */
    private static String ephemeralStorageKey(ClusterConfiguration configuration) {
        return configuration == null || configuration.managedStorageConfiguration() == null ? null
                : configuration.managedStorageConfiguration().fargateEphemeralStorageKmsKeyId();
    }

    /** A flag's value as the condition key holds it; absent means false. */
    private static String flag(Boolean value) {
        return Boolean.toString(Boolean.TRUE.equals(value));
    }

    /** A flag an update may leave unchanged: no key when the request does not set it. */
    private static String flagOrNull(Boolean value) {
        return value == null ? null : value.toString();
    }

    private static List<Ask> concat(Ask first, List<Ask> rest) {
        List<Ask> asks = new ArrayList<>();
        asks.add(first);
        asks.addAll(rest);
        return asks;
    }

    private static <T> List<Ask> eachOf(Iterable<T> items, Function<T, List<Ask>> asks) {
        List<Ask> all = new ArrayList<>();
        for (T item : items) {
            all.addAll(asks.apply(item));
        }
        return all;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
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
