package io.berth.control.instance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.control.Caller;
import io.berth.control.ControlPlane;
import io.berth.control.Operations;
import io.berth.control.Paging;
import io.berth.control.Scope;
import io.berth.control.capacity.CapacityProviderStrategies;
import io.berth.control.cluster.Clusters;
import io.berth.control.fargate.FargatePool;
import io.berth.control.query.Expression;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.state.Transaction;
import io.berth.control.tag.Tags;
import io.berth.control.task.LiveTasksByInstance;
import io.berth.control.task.Tasks;
import io.berth.model.EcsException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceField;
import software.amazon.awssdk.services.ecs.model.DeleteAttributesRequest;
import software.amazon.awssdk.services.ecs.model.DeleteAttributesResponse;
import software.amazon.awssdk.services.ecs.model.DeregisterContainerInstanceRequest;
import software.amazon.awssdk.services.ecs.model.DeregisterContainerInstanceResponse;
import software.amazon.awssdk.services.ecs.model.DescribeContainerInstancesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeContainerInstancesResponse;
import software.amazon.awssdk.services.ecs.model.DiscoverPollEndpointRequest;
import software.amazon.awssdk.services.ecs.model.DiscoverPollEndpointResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.ListAttributesRequest;
import software.amazon.awssdk.services.ecs.model.ListAttributesResponse;
import software.amazon.awssdk.services.ecs.model.ListContainerInstancesRequest;
import software.amazon.awssdk.services.ecs.model.ListContainerInstancesResponse;
import software.amazon.awssdk.services.ecs.model.PutAttributesRequest;
import software.amazon.awssdk.services.ecs.model.PutAttributesResponse;
import software.amazon.awssdk.services.ecs.model.RegisterContainerInstanceRequest;
import software.amazon.awssdk.services.ecs.model.RegisterContainerInstanceResponse;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.UpdateContainerInstancesStateRequest;
import software.amazon.awssdk.services.ecs.model.UpdateContainerInstancesStateResponse;

/** Container instances: registration, state, attributes, and the agent's poll endpoint. */
public final class ContainerInstanceService {

    static final String TARGET_TYPE = "container-instance";
    private static final int MAX_DESCRIBE = 100;
    private static final int MAX_STATE_UPDATE = 10;
    private static final Set<String> LISTABLE_STATUSES = Set.of("ACTIVE", "DRAINING", "REGISTERING",
            "DEREGISTERING", "REGISTRATION_FAILED");
    // Configured here and never changed; only used to read identity documents.
    private static final ObjectMapper JSON = new ObjectMapper();

    private final State state;
    private final Clock clock;
    private final ControlPlane.Endpoints endpoints;

    public ContainerInstanceService(State state, Clock clock, ControlPlane.Endpoints endpoints) {
        this.state = state;
        this.clock = clock;
        this.endpoints = endpoints;
    }

    public void addTo(Operations operations) {
        operations.add("RegisterContainerInstance", RegisterContainerInstanceRequest.class,
                this::registerContainerInstance);
        operations.add("DeregisterContainerInstance", DeregisterContainerInstanceRequest.class,
                this::deregisterContainerInstance);
        operations.add("DescribeContainerInstances", DescribeContainerInstancesRequest.class,
                this::describeContainerInstances);
        operations.add("ListContainerInstances", ListContainerInstancesRequest.class, this::listContainerInstances);
        operations.add("UpdateContainerInstancesState", UpdateContainerInstancesStateRequest.class,
                this::updateContainerInstancesState);
        operations.add("PutAttributes", PutAttributesRequest.class, this::putAttributes);
        operations.add("DeleteAttributes", DeleteAttributesRequest.class, this::deleteAttributes);
        operations.add("ListAttributes", ListAttributesRequest.class, this::listAttributes);
        operations.add("DiscoverPollEndpoint", DiscoverPollEndpointRequest.class, this::discoverPollEndpoint);
    }

    /** What an instance identity document tells; every member may be absent. */
    private record Identity(String instanceId, String availabilityZone, String instanceType, String imageId) {
    }

    public RegisterContainerInstanceResponse registerContainerInstance(Caller caller,
            RegisterContainerInstanceRequest request) {
        List<Resource> registered = InstanceResources.registered(
                request.hasTotalResources() ? request.totalResources() : List.of(),
                request.hasPlatformDevices() ? request.platformDevices() : List.of());
        Identity identity = identity(request.instanceIdentityDocument());
        List<Attribute> attributes = registrationAttributes(request, identity);
        List<Tag> tags = Tags.validate(request.hasTags() ? request.tags() : null);
        ContainerInstance instance = state.write(caller.scope(), tx -> {
            String clusterName = hostCluster(tx, request.cluster());
            ContainerInstance existing = existingRegistration(tx, clusterName, request, identity);
            ContainerInstance result = existing == null
                    ? newInstance(tx.scope(), clusterName, registered, attributes, tags, identity, request)
                    : reregistered(existing, registered, attributes, tags, identity, request);
            save(tx, clusterName, result);
            return CapacityProviderStrategies.withProviderName(result);
        });
        return RegisterContainerInstanceResponse.builder()
                .containerInstance(present(state.region(caller.scope()), instance, Set.of(ContainerInstanceField.TAGS)))
                .build();
    }

    private ContainerInstance existingRegistration(Transaction tx, String clusterName,
            RegisterContainerInstanceRequest request, Identity identity) {
        String arn = request.containerInstanceArn();
        if (arn != null && !arn.isEmpty()) {
            ContainerInstance existing = ContainerInstances.find(tx, clusterName, arn)
                    .orElseThrow(() -> EcsException.invalidParameter("The referenced container instance "
                            + arn + " was not found in cluster " + clusterName + "."));
            if (ContainerInstances.INACTIVE.equals(existing.status())) {
                throw EcsException.clientException(
                        "Container instance " + ContainerInstances.idOf(existing) + " is inactive.");
            }
            return existing;
        }
        if (identity.instanceId() == null) {
            return null;
        }
        // The same EC2 instance registering again without its ARN gets its existing registration.
        return InstancesByEc2Id.keys(tx.region(), clusterName, identity.instanceId()).stream()
                .flatMap(key -> tx.get(ContainerInstances.KIND, key).stream())
                .filter(i -> identity.instanceId().equals(i.ec2InstanceId()))
                .filter(i -> !ContainerInstances.INACTIVE.equals(i.status()))
                .findFirst().orElse(null);
    }

    private ContainerInstance newInstance(Scope scope, String clusterName, List<Resource> registered,
            List<Attribute> attributes, List<Tag> tags, Identity identity, RegisterContainerInstanceRequest request) {
        String id = UUID.randomUUID().toString().replace("-", "");
        return ContainerInstance.builder()
                .containerInstanceArn(scope.arn("container-instance/" + clusterName + "/" + id))
                .ec2InstanceId(identity.instanceId())
                .version(1L)
                .versionInfo(request.versionInfo())
                .registeredResources(registered)
                .remainingResources(InstanceResources.remaining(registered, List.of(), List.of()))
                .status(ContainerInstances.ACTIVE)
                .agentConnected(false)
                .runningTasksCount(0)
                .pendingTasksCount(0)
                .attributes(attributes)
                .registeredAt(clock.instant())
                .tags(tags)
                .build();
    }

    private ContainerInstance reregistered(ContainerInstance existing, List<Resource> registered,
            List<Attribute> attributes, List<Tag> tags, Identity identity, RegisterContainerInstanceRequest request) {
        String wasType = attributeValue(existing.attributes(), "ecs.instance-type");
        if (wasType != null && identity.instanceType() != null && !wasType.equals(identity.instanceType())) {
            throw EcsException.clientException("Container instance type changes are not supported.");
        }
        List<Attribute> merged = InstanceAttributes.merge(existing.attributes(), attributes);
        InstanceAttributes.checkLimit(merged);
        ContainerInstance.Builder builder = existing.toBuilder()
                .registeredResources(registered)
                .remainingResources(InstanceResources.remaining(registered, existing.registeredResources(),
                        existing.remainingResources()))
                .attributes(merged)
                .version(existing.version() + 1);
        if (identity.instanceId() != null) {
            builder.ec2InstanceId(identity.instanceId());
        }
        if (request.versionInfo() != null) {
            builder.versionInfo(request.versionInfo());
        }
        if (!tags.isEmpty()) {
            builder.tags(Tags.merge(existing.tags(), tags));
        }
        return builder.build();
    }

    /** The requested attributes, checked, followed by the built-in ones ECS adds when absent. */
    private static List<Attribute> registrationAttributes(RegisterContainerInstanceRequest request, Identity identity) {
        Map<String, Attribute> byName = new LinkedHashMap<>();
        for (Attribute attribute : request.hasAttributes() ? request.attributes() : List.<Attribute>of()) {
            InstanceAttributes.validate(attribute);
            byName.put(attribute.name(), InstanceAttributes.plain(attribute));
        }
        byName.putIfAbsent("ecs.os-type", attribute("ecs.os-type", "linux"));
        if (identity.availabilityZone() != null) {
            byName.putIfAbsent("ecs.availability-zone", attribute("ecs.availability-zone", identity.availabilityZone()));
        }
        if (identity.instanceType() != null) {
            byName.putIfAbsent("ecs.instance-type", attribute("ecs.instance-type", identity.instanceType()));
        }
        if (identity.imageId() != null) {
            byName.putIfAbsent("ecs.ami-id", attribute("ecs.ami-id", identity.imageId()));
        }
        List<Attribute> attributes = List.copyOf(byName.values());
        InstanceAttributes.checkLimit(attributes);
        return attributes;
    }

    private static Identity identity(String document) {
        if (document == null || document.isBlank()) {
            return new Identity(null, null, null, null);
        }
        JsonNode node;
        try {
            node = JSON.readTree(document);
        } catch (JsonProcessingException e) {
            throw EcsException.invalidParameter("instanceIdentityDocument is not a valid JSON document.");
        }
        if (!node.isObject()) {
            throw EcsException.invalidParameter("instanceIdentityDocument must be a JSON object.");
        }
        return new Identity(text(node, "instanceId"), text(node, "availabilityZone"), text(node, "instanceType"),
                text(node, "imageId"));
    }

    private static String text(JsonNode node, String member) {
        JsonNode value = node.get(member);
        return value == null || !value.isTextual() || value.asText().isEmpty() ? null : value.asText();
    }

    public DeregisterContainerInstanceResponse deregisterContainerInstance(Caller caller,
            DeregisterContainerInstanceRequest request) {
        String ref = required(request.containerInstance(), "containerInstance");
        boolean force = Boolean.TRUE.equals(request.force());
        ContainerInstance deregistered = state.write(caller.scope(), tx -> {
            String clusterName = hostCluster(tx, request.cluster());
            ContainerInstance instance = ContainerInstances.find(tx, clusterName, ref)
                    .orElseThrow(() -> notFound(ref));
            if (ContainerInstances.INACTIVE.equals(instance.status())) {
                throw EcsException.clientException(
                        "Container instance " + ContainerInstances.idOf(instance) + " is inactive.");
            }
            // Whatever their cluster: a Fargate host runs the tasks of every cluster.
            if (!force && !LiveTasksByInstance.of(tx.region(), instance.containerInstanceArn()).isEmpty()) {
                throw EcsException.invalidParameter("Found running tasks on the instance.");
            }
            ContainerInstance result = instance.toBuilder()
                    .status(ContainerInstances.INACTIVE)
                    .agentConnected(false)
                    .version(instance.version() + 1)
                    .build();
            tx.put(ContainerInstances.KIND, ContainerInstances.key(clusterName, ContainerInstances.idOf(result)), result);
            return result;
        });
        return DeregisterContainerInstanceResponse.builder()
                .containerInstance(present(state.region(caller.scope()), deregistered, Set.of()))
                .build();
    }

    public DescribeContainerInstancesResponse describeContainerInstances(Caller caller,
            DescribeContainerInstancesRequest request) {
        if (!request.hasContainerInstances() || request.containerInstances().isEmpty()) {
            throw EcsException.invalidParameter("containerInstances can not be empty.");
        }
        if (request.containerInstances().size() > MAX_DESCRIBE) {
            throw EcsException.invalidParameter(
                    "At most " + MAX_DESCRIBE + " container instances can be described at once.");
        }
        Region region = state.region(caller.scope());
        Cluster cluster = Clusters.requireActive(region, request.cluster());
        Set<ContainerInstanceField> include = request.hasInclude() ? Set.copyOf(request.include()) : Set.of();
        Map<String, TaskCounts> counts = taskCounts(region, cluster.clusterName());
        List<ContainerInstance> found = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (String ref : request.containerInstances()) {
            Optional<ContainerInstance> instance = ContainerInstances.find(region, cluster.clusterName(), ref);
            if (instance.isPresent()) {
                found.add(present(counts, instance.get(), include));
            } else {
                failures.add(Failure.builder().arn(arnOf(caller.scope(), cluster.clusterName(), ref))
                        .reason("MISSING").build());
            }
        }
        return DescribeContainerInstancesResponse.builder().containerInstances(found).failures(failures).build();
    }

    public ListContainerInstancesResponse listContainerInstances(Caller caller, ListContainerInstancesRequest request) {
        Region region = state.region(caller.scope());
        Cluster cluster = Clusters.requireActive(region, request.cluster());
        String status = request.statusAsString();
        if (status != null && !LISTABLE_STATUSES.contains(status)) {
            throw EcsException.invalidParameter("status must be one of ACTIVE, DRAINING, REGISTERING, "
                    + "DEREGISTERING, REGISTRATION_FAILED.");
        }
        Expression filter = request.filter() == null || request.filter().isBlank()
                ? null : Expression.parse(request.filter());
        Map<String, TaskCounts> counts = filter == null ? Map.of() : taskCounts(region, cluster.clusterName());
        List<ContainerInstance> matching = ContainerInstances.inCluster(region, cluster.clusterName()).stream()
                .filter(i -> status == null
                        ? ContainerInstances.ACTIVE.equals(i.status()) || ContainerInstances.DRAINING.equals(i.status())
                        : status.equals(i.status()))
                .filter(i -> filter == null || filter.matches(subject(i, counts.get(i.containerInstanceArn()))))
                .toList();
        Paging.Page<ContainerInstance> page = Paging.page(matching, ContainerInstances::idOf, request.maxResults(),
                request.nextToken(), 100, 100);
        return ListContainerInstancesResponse.builder()
                .containerInstanceArns(page.items().stream().map(ContainerInstance::containerInstanceArn).toList())
                .nextToken(page.nextToken())
                .build();
    }

    public UpdateContainerInstancesStateResponse updateContainerInstancesState(Caller caller,
            UpdateContainerInstancesStateRequest request) {
        String status = request.statusAsString();
        if (!ContainerInstances.ACTIVE.equals(status) && !ContainerInstances.DRAINING.equals(status)) {
            throw EcsException.invalidParameter("Container instances can only be set to ACTIVE or DRAINING.");
        }
        if (!request.hasContainerInstances() || request.containerInstances().isEmpty()) {
            throw EcsException.invalidParameter("containerInstances can not be empty.");
        }
        if (request.containerInstances().size() > MAX_STATE_UPDATE) {
            throw EcsException.invalidParameter(
                    "At most " + MAX_STATE_UPDATE + " container instances can be updated at once.");
        }
        record Outcome(List<ContainerInstance> updated, List<Failure> failures) {
        }
        Outcome outcome = state.write(caller.scope(), tx -> {
            Cluster cluster = Clusters.requireActive(tx, request.cluster());
            List<ContainerInstance> updated = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String ref : request.containerInstances()) {
                Optional<ContainerInstance> found = ContainerInstances.find(tx, cluster.clusterName(), ref);
                if (found.isEmpty()) {
                    failures.add(Failure.builder().arn(arnOf(tx.scope(), cluster.clusterName(), ref))
                            .reason("MISSING").build());
                    continue;
                }
                ContainerInstance instance = found.get();
                if (ContainerInstances.INACTIVE.equals(instance.status())) {
                    failures.add(Failure.builder().arn(instance.containerInstanceArn()).reason("INACTIVE")
                            .detail("The container instance is deregistered.").build());
                    continue;
                }
                if (!status.equals(instance.status())) {
                    instance = instance.toBuilder().status(status).version(instance.version() + 1).build();
                    tx.put(ContainerInstances.KIND, ContainerInstances.key(cluster.clusterName(),
                            ContainerInstances.idOf(instance)), instance);
                }
                updated.add(instance);
            }
            return new Outcome(updated, failures);
        });
        Map<String, TaskCounts> counts = outcome.updated().isEmpty() ? Map.of()
                : taskCounts(state.region(caller.scope()), clusterOf(outcome.updated().get(0)));
        return UpdateContainerInstancesStateResponse.builder()
                .containerInstances(outcome.updated().stream().map(i -> present(counts, i, Set.of())).toList())
                .failures(outcome.failures())
                .build();
    }

    public PutAttributesResponse putAttributes(Caller caller, PutAttributesRequest request) {
        List<Attribute> attributes = attributesOf(request.hasAttributes() ? request.attributes() : List.of());
        attributes.forEach(InstanceAttributes::validate);
        state.write(caller.scope(), tx -> {
            Cluster cluster = Clusters.requireActive(tx, request.cluster());
            for (Map.Entry<String, List<Attribute>> change
                    : byTarget(tx, cluster.clusterName(), attributes).entrySet()) {
                ContainerInstance instance = current(tx, cluster.clusterName(), change.getKey());
                List<Attribute> merged = InstanceAttributes.merge(instance.attributes(), change.getValue());
                InstanceAttributes.checkLimit(merged);
                save(tx, cluster.clusterName(), instance.toBuilder().attributes(merged)
                        .version(instance.version() + 1).build());
            }
            return null;
        });
        return PutAttributesResponse.builder().attributes(attributes).build();
    }

    public DeleteAttributesResponse deleteAttributes(Caller caller, DeleteAttributesRequest request) {
        List<Attribute> attributes = attributesOf(request.hasAttributes() ? request.attributes() : List.of());
        state.write(caller.scope(), tx -> {
            Cluster cluster = Clusters.requireActive(tx, request.cluster());
            for (Map.Entry<String, List<Attribute>> change
                    : byTarget(tx, cluster.clusterName(), attributes).entrySet()) {
                ContainerInstance instance = current(tx, cluster.clusterName(), change.getKey());
                List<String> names = change.getValue().stream().map(Attribute::name).toList();
                save(tx, cluster.clusterName(), instance.toBuilder()
                        .attributes(InstanceAttributes.without(instance.attributes(), names))
                        .version(instance.version() + 1).build());
            }
            return null;
        });
        return DeleteAttributesResponse.builder().attributes(attributes).build();
    }

    public ListAttributesResponse listAttributes(Caller caller, ListAttributesRequest request) {
        if (request.targetTypeAsString() == null) {
            throw EcsException.invalidParameter("targetType is required.");
        }
        if (!TARGET_TYPE.equals(request.targetTypeAsString())) {
            throw EcsException.invalidParameter("targetType must be container-instance.");
        }
        if (request.attributeValue() != null && request.attributeName() == null) {
            throw EcsException.invalidParameter("attributeValue can only be used together with attributeName.");
        }
        Region region = state.region(caller.scope());
        Cluster cluster = Clusters.requireActive(region, request.cluster());
        record Listed(String key, Attribute attribute) {
        }
        List<Listed> listed = new ArrayList<>();
        for (ContainerInstance instance : ContainerInstances.inCluster(region, cluster.clusterName())) {
            if (ContainerInstances.INACTIVE.equals(instance.status())) {
                continue;
            }
            for (Attribute attribute : instance.attributes()) {
                if (request.attributeName() != null && !request.attributeName().equals(attribute.name())) {
                    continue;
                }
                if (request.attributeValue() != null && !request.attributeValue().equals(attribute.value())) {
                    continue;
                }
                listed.add(new Listed(ContainerInstances.idOf(instance) + " " + attribute.name(),
                        attribute.toBuilder().targetType(TARGET_TYPE)
                                .targetId(instance.containerInstanceArn()).build()));
            }
        }
        listed.sort(Comparator.comparing(Listed::key));
        Paging.Page<Listed> page = Paging.page(listed, Listed::key, request.maxResults(), request.nextToken(),
                100, 100);
        return ListAttributesResponse.builder()
                .attributes(page.items().stream().map(Listed::attribute).toList())
                .nextToken(page.nextToken())
                .build();
    }

    public DiscoverPollEndpointResponse discoverPollEndpoint(Caller caller, DiscoverPollEndpointRequest request) {
        if (request.cluster() != null && !request.cluster().isEmpty()
                && !FargatePool.isPool(caller.scope(), request.cluster())) {
            Clusters.requireActive(state.region(caller.scope()), request.cluster());
        }
        return DiscoverPollEndpointResponse.builder()
                .endpoint(base(endpoints.acsEndpoint()))
                .telemetryEndpoint(base(endpoints.telemetryEndpoint()))
                .build();
    }

    /**
     * The cluster a host joins or leaves: an ACTIVE cluster, or the Fargate pool, which exists as soon as a host
     * joins it and which only hosts' own calls name.
     */
    private static String hostCluster(Transaction tx, String clusterRef) {
        return FargatePool.isPool(tx.scope(), clusterRef) ? FargatePool.NAME
                : Clusters.requireActive(tx, clusterRef).clusterName();
    }

    /** Scheme, host and port of an endpoint: the agent appends its own path. */
    private static String base(String endpoint) {
        URI uri = URI.create(endpoint);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static List<Attribute> attributesOf(List<Attribute> attributes) {
        if (attributes.isEmpty()) {
            throw EcsException.invalidParameter("attributes can not be empty.");
        }
        if (attributes.size() > InstanceAttributes.MAX_PER_CALL) {
            throw EcsException.invalidParameter(
                    "At most " + InstanceAttributes.MAX_PER_CALL + " attributes can be given in one call.");
        }
        for (Attribute attribute : attributes) {
            if (attribute.targetTypeAsString() != null && !TARGET_TYPE.equals(attribute.targetTypeAsString())) {
                throw EcsException.invalidParameter("targetType must be container-instance.");
            }
            if (attribute.targetId() == null || attribute.targetId().isEmpty()) {
                throw EcsException.invalidParameter("Attribute " + attribute.name() + " needs a targetId.");
            }
            if (attribute.targetTypeAsString() == null && !attribute.targetId().startsWith("arn:")) {
                throw EcsException.invalidParameter(
                        "targetType is required when targetId is not an ARN (attribute " + attribute.name() + ").");
            }
            if (attribute.name() == null || attribute.name().isEmpty()) {
                throw EcsException.invalidParameter("Every attribute needs a name.");
            }
        }
        return List.copyOf(attributes);
    }

    /**
     * The attributes grouped by the id of the instance they target; an unknown or deregistered
     * target is TargetNotFoundException.
     */
    private static Map<String, List<Attribute>> byTarget(Transaction tx, String clusterName,
            List<Attribute> attributes) {
        Map<String, List<Attribute>> grouped = new LinkedHashMap<>();
        for (Attribute attribute : attributes) {
            ContainerInstance instance = ContainerInstances.find(tx, clusterName, attribute.targetId())
                    .filter(i -> !ContainerInstances.INACTIVE.equals(i.status()))
                    .orElseThrow(() -> new EcsException("TargetNotFoundException", 400,
                            "Could not find " + attribute.targetId() + ". Check the target and try again."));
            grouped.computeIfAbsent(ContainerInstances.idOf(instance), id -> new ArrayList<>()).add(attribute);
        }
        return grouped;
    }

    private static ContainerInstance current(Transaction tx, String clusterName, String instanceId) {
        return tx.get(ContainerInstances.KIND, ContainerInstances.key(clusterName, instanceId)).orElseThrow();
    }

    /** Stores the instance, its capacityProviderName following its {@code ecs.capacity-provider} attribute. */
    private static void save(Transaction tx, String clusterName, ContainerInstance instance) {
        tx.put(ContainerInstances.KIND, ContainerInstances.key(clusterName, ContainerInstances.idOf(instance)),
                CapacityProviderStrategies.withProviderName(instance));
    }

    private record TaskCounts(int running, int pending) {
    }

    /** Running and pending tasks per instance ARN of the cluster. */
    private static Map<String, TaskCounts> taskCounts(Region region, String clusterName) {
        Map<String, TaskCounts> counts = new HashMap<>();
        for (Task task : region.withPrefix(Tasks.KIND, clusterName + "/")) {
            if (task.containerInstanceArn() == null) {
                continue;
            }
            TaskCounts was = counts.getOrDefault(task.containerInstanceArn(), new TaskCounts(0, 0));
            if ("RUNNING".equals(task.lastStatus())) {
                counts.put(task.containerInstanceArn(), new TaskCounts(was.running() + 1, was.pending()));
            } else if ("PENDING".equals(task.lastStatus()) || "PROVISIONING".equals(task.lastStatus())) {
                counts.put(task.containerInstanceArn(), new TaskCounts(was.running(), was.pending() + 1));
            }
        }
        return counts;
    }

    /** The instance as ECS shows it: task counts computed, tags only when included. */
    private static ContainerInstance present(Region region, ContainerInstance instance,
            Set<ContainerInstanceField> include) {
        return present(taskCounts(region, clusterOf(instance)), instance, include);
    }

    private static ContainerInstance present(Map<String, TaskCounts> counts, ContainerInstance instance,
            Set<ContainerInstanceField> include) {
        TaskCounts onInstance = counts.getOrDefault(instance.containerInstanceArn(), new TaskCounts(0, 0));
        ContainerInstance.Builder builder = instance.toBuilder()
                .runningTasksCount(onInstance.running())
                .pendingTasksCount(onInstance.pending());
        if (!include.contains(ContainerInstanceField.TAGS)) {
            builder.tags((List<Tag>) null);
        }
        return builder.build();
    }

    /** The properties the query language can test, as the instance has them now. */
    private static Expression.Subject subject(ContainerInstance instance, TaskCounts counts) {
        Map<String, String> attributes = new HashMap<>();
        instance.attributes().forEach(a -> attributes.put(a.name(), a.value()));
        Map<String, String> properties = new HashMap<>();
        if (instance.ec2InstanceId() != null) {
            properties.put("ec2InstanceId", instance.ec2InstanceId());
        }
        properties.put("registeredAt", instance.registeredAt().toString());
        properties.put("runningTasksCount", String.valueOf(counts == null ? 0 : counts.running()));
        properties.put("agentConnected", String.valueOf(Boolean.TRUE.equals(instance.agentConnected())));
        if (instance.versionInfo() != null && instance.versionInfo().agentVersion() != null) {
            properties.put("agentVersion", instance.versionInfo().agentVersion());
        }
        return Expression.Subject.of(attributes, properties);
    }

    private static String clusterOf(ContainerInstance instance) {
        String arn = instance.containerInstanceArn();
        String resource = arn.substring(arn.indexOf(":container-instance/") + ":container-instance/".length());
        return resource.substring(0, resource.lastIndexOf('/'));
    }

    private static String attributeValue(List<Attribute> attributes, String name) {
        return attributes.stream().filter(a -> name.equals(a.name())).map(Attribute::value).findFirst().orElse(null);
    }

    private static Attribute attribute(String name, String value) {
        return Attribute.builder().name(name).value(value).build();
    }

    private static String arnOf(Scope scope, String clusterName, String ref) {
        return ref.startsWith("arn:") ? ref : scope.arn("container-instance/" + clusterName + "/" + ref);
    }

    private static String required(String value, String member) {
        if (value == null || value.isEmpty()) {
            throw EcsException.invalidParameter(member + " is required.");
        }
        return value;
    }

    private static EcsException notFound(String ref) {
        return EcsException.invalidParameter("The referenced container instance " + ref + " was not found.");
    }
}
