package io.berth.control.service;

import io.berth.control.Caller;
import io.berth.control.Describe;
import io.berth.control.Operations;
import io.berth.control.Paging;
import io.berth.control.capacity.CapacityProviderStrategies;
import io.berth.control.cluster.Clusters;
import io.berth.control.placement.PlacementRules;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.state.Transaction;
import io.berth.control.tag.Tags;
import io.berth.control.task.Tasks;
import io.berth.control.taskdef.TaskDefinitions;
import io.berth.model.EcsException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.CreateServiceResponse;
import software.amazon.awssdk.services.ecs.model.DeleteServiceRequest;
import software.amazon.awssdk.services.ecs.model.DeleteServiceResponse;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentController;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsResponse;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.ListServicesByNamespaceRequest;
import software.amazon.awssdk.services.ecs.model.ListServicesByNamespaceResponse;
import software.amazon.awssdk.services.ecs.model.ListServicesRequest;
import software.amazon.awssdk.services.ecs.model.ListServicesResponse;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceCurrentRevisionSummary;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentRequest;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskSet;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import software.amazon.awssdk.services.ecs.model.UpdateServiceResponse;

/**
 * Services: create, update, delete, describe and list them, and their deployments and revisions.
 * The operations record what is wanted; the {@link ServiceReconciler} starts and stops the tasks.
 */
public final class ServiceService {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,255}");
    private static final int MAX_DESCRIBE = 10;
    private static final int MAX_DESCRIBE_DEPLOYMENTS = 20;
    private static final String REPLICA = "REPLICA";
    private static final String DAEMON = "DAEMON";

    private final State state;
    private final Clock clock;

    public ServiceService(State state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    public void addTo(Operations operations) {
        operations.add("CreateService", CreateServiceRequest.class, this::createService);
        operations.add("UpdateService", UpdateServiceRequest.class, this::updateService);
        operations.add("DeleteService", DeleteServiceRequest.class, this::deleteService);
        operations.add("DescribeServices", DescribeServicesRequest.class, this::describeServices);
        operations.add("ListServices", ListServicesRequest.class, this::listServices);
        operations.add("ListServicesByNamespace", ListServicesByNamespaceRequest.class, this::listServicesByNamespace);
        operations.add("DescribeServiceDeployments", DescribeServiceDeploymentsRequest.class,
                this::describeServiceDeployments);
        operations.add("ListServiceDeployments", ListServiceDeploymentsRequest.class, this::listServiceDeployments);
        operations.add("DescribeServiceRevisions", DescribeServiceRevisionsRequest.class, this::describeServiceRevisions);
        operations.add("StopServiceDeployment", StopServiceDeploymentRequest.class, this::stopServiceDeployment);
    }

    public CreateServiceResponse createService(Caller caller, CreateServiceRequest request) {
        String name = request.serviceName();
        if (name == null || name.isEmpty()) {
            throw EcsException.invalidParameter("serviceName can not be blank.");
        }
        if (!NAME.matcher(name).matches()) {
            throw EcsException.invalidParameter("Service name can have up to 255 characters: letters, numbers, "
                    + "hyphens and underscores.");
        }
        String scheduling = request.schedulingStrategyAsString() == null ? REPLICA : request.schedulingStrategyAsString();
        if (!REPLICA.equals(scheduling) && !DAEMON.equals(scheduling)) {
            throw EcsException.invalidParameter("schedulingStrategy must be REPLICA or DAEMON.");
        }
        refuseController(request.deploymentController());
        if (DAEMON.equals(scheduling) && TaskSetService.EXTERNAL.equals(controllerType(request.deploymentController()))) {
            throw EcsException.invalidParameter("The daemon scheduling strategy can only be used with the ECS "
                    + "deployment controller.");
        }
        boolean external = TaskSetService.EXTERNAL.equals(controllerType(request.deploymentController()));
        if (!external && (request.taskDefinition() == null || request.taskDefinition().isEmpty())) {
            throw EcsException.invalidParameter("TaskDefinition can not be blank.");
        }
        Integer desiredCount = request.desiredCount();
        if (DAEMON.equals(scheduling)) {
            if (desiredCount != null) {
                throw EcsException.invalidParameter("The daemon scheduling strategy does not support a desired count "
                        + "for services.");
            }
            if (request.hasPlacementStrategy() && !request.placementStrategy().isEmpty()) {
                throw EcsException.invalidParameter("The daemon scheduling strategy does not support placement "
                        + "strategies.");
            }
        } else if (desiredCount == null) {
            throw EcsException.invalidParameter("desiredCount is required for the REPLICA scheduling strategy.");
        } else if (desiredCount < 0) {
            throw EcsException.invalidParameter("desiredCount can not be less than 0.");
        }
        String launchType = launchType(request.launchTypeAsString(),
                request.hasCapacityProviderStrategy() ? request.capacityProviderStrategy() : List.of());
        if (request.platformVersion() != null) {
            throw EcsException.invalidParameter("The platform version must be null when specifying an "
                    + launchType + " launch type.");
        }
        refuseUnsupported(request.networkConfiguration() != null,
                request.hasLoadBalancers() && !request.loadBalancers().isEmpty(),
                request.hasServiceRegistries() && !request.serviceRegistries().isEmpty(),
                request.serviceConnectConfiguration() != null,
                request.hasVolumeConfigurations() && !request.volumeConfigurations().isEmpty(),
                request.hasVpcLatticeConfigurations() && !request.vpcLatticeConfigurations().isEmpty(),
                request.enableExecuteCommand());
        DeploymentConfiguration configuration = configuration(null, request.deploymentConfiguration(), scheduling);
        List<PlacementConstraint> constraints = request.hasPlacementConstraints() ? request.placementConstraints() : List.of();
        List<PlacementStrategy> strategies = request.hasPlacementStrategy() ? request.placementStrategy() : List.of();
        List<Tag> tags = Tags.validate(request.hasTags() && !request.tags().isEmpty() ? request.tags() : null);
        String propagate = Objects.requireNonNullElse(Tags.validPropagateTags(request.propagateTagsAsString()), "NONE");
        Integer grace = gracePeriod(request.healthCheckGracePeriodSeconds());
        Region region = state.region(caller.scope());
        String clusterName = Clusters.requireActive(region, request.cluster()).clusterName();
        // With the EXTERNAL controller the task definition comes with each task set.
        TaskDefinition definition = external ? null
                : TaskDefinitions.requireRunnable(region, request.taskDefinition(), launchType, "Services");
        PlacementRules.of(constraints, strategies, external ? List.of() : definition.placementConstraints());
        Service created = state.write(caller.scope(), tx -> {
            Cluster cluster = Clusters.requireActive(tx, request.cluster());
            List<CapacityProviderStrategyItem> providers = external ? List.of() : CapacityProviderStrategies.effective(
                    request.hasCapacityProviderStrategy() ? request.capacityProviderStrategy() : List.of(),
                    request.launchTypeAsString(), cluster);
            if (!providers.isEmpty() && DAEMON.equals(scheduling)) {
                throw EcsException.invalidParameter(
                        "The daemon scheduling strategy does not support capacity provider strategies.");
            }
            // On capacity providers a service has a strategy and no launch type, as ECS shows it.
            String serviceLaunchType = providers.isEmpty() ? launchType : null;
            String key = Services.key(clusterName, name);
            Optional<Service> existing = tx.get(Services.KIND, key);
            if (existing.isPresent() && Services.DRAINING.equals(existing.get().status())) {
                throw EcsException.invalidParameter("Unable to Start a service that is still Draining.");
            }
            if (existing.isPresent() && Services.ACTIVE.equals(existing.get().status())) {
                Service same = existing.get();
                if ((external || Objects.equals(same.taskDefinition(), definition.taskDefinitionArn()))
                        && Objects.equals(controllerType(same.deploymentController()),
                                controllerType(request.deploymentController()))
                        && Objects.equals(same.schedulingStrategyAsString(), scheduling)
                        && (desiredCount == null || desiredCount.equals(same.desiredCount()))) {
                    return same;
                }
                throw EcsException.invalidParameter("Creation of service was not idempotent.");
            }
            Instant now = clock.instant();
            String deploymentId = Deployments.newId();
            int desired = desiredCount == null ? 0 : desiredCount;
            Deployment primary = external ? null
                    : Deployments.primary(deploymentId, definition.taskDefinitionArn(), desired, serviceLaunchType,
                            providers, now);
            Service service = Service.builder()
                    .serviceArn(Services.arn(caller.scope(), clusterName, name))
                    .serviceName(name)
                    .clusterArn(cluster.clusterArn())
                    .loadBalancers(List.of())
                    .serviceRegistries(List.of())
                    .status(Services.ACTIVE)
                    .desiredCount(desired)
                    .runningCount(0)
                    .pendingCount(0)
                    .launchType(serviceLaunchType)
                    .capacityProviderStrategy(providers.isEmpty() ? null : providers)
                    .taskDefinition(external ? null : definition.taskDefinitionArn())
                    .deploymentConfiguration(configuration)
                    .deployments(external ? List.of() : List.of(primary))
                    .taskSets(external ? List.of() : null)
                    .events(List.of())
                    .createdAt(now)
                    .placementConstraints(constraints)
                    .placementStrategy(strategies)
                    .healthCheckGracePeriodSeconds(grace)
                    .schedulingStrategy(scheduling)
                    .deploymentController(DeploymentController.builder().type(external ? TaskSetService.EXTERNAL : "ECS")
                            .build())
                    .tags(tags)
                    .createdBy(caller.principalArn())
                    .enableECSManagedTags(Boolean.TRUE.equals(request.enableECSManagedTags()))
                    .propagateTags(propagate)
                    .enableExecuteCommand(false)
                    .availabilityZoneRebalancing(request.availabilityZoneRebalancingAsString() == null
                            ? "DISABLED" : request.availabilityZoneRebalancingAsString())
                    .build();
            tx.put(Services.KIND, key, service);
            if (!external) {
                Deployments.record(tx, service, clusterName, primary, definition, now);
            }
            return service;
        });
        return CreateServiceResponse.builder().service(present(state.region(caller.scope()), created, true)).build();
    }

    public UpdateServiceResponse updateService(Caller caller, UpdateServiceRequest request) {
        if (request.service() == null || request.service().isEmpty()) {
            throw EcsException.invalidParameter("service can not be blank.");
        }
        if (request.desiredCount() != null && request.desiredCount() < 0) {
            throw EcsException.invalidParameter("desiredCount can not be less than 0.");
        }
        if (request.deploymentController() != null) {
            throw EcsException.unsupportedFeature("Changing the deployment controller of a service is not supported here.");
        }
        refuseUnsupported(request.networkConfiguration() != null,
                request.hasLoadBalancers() && !request.loadBalancers().isEmpty(),
                request.hasServiceRegistries() && !request.serviceRegistries().isEmpty(),
                request.serviceConnectConfiguration() != null,
                request.hasVolumeConfigurations() && !request.volumeConfigurations().isEmpty(),
                request.hasVpcLatticeConfigurations() && !request.vpcLatticeConfigurations().isEmpty(),
                request.enableExecuteCommand());
        String propagate = Tags.validPropagateTags(request.propagateTagsAsString());
        Integer grace = request.healthCheckGracePeriodSeconds() == null ? null
                : gracePeriod(request.healthCheckGracePeriodSeconds());
        Region region = state.region(caller.scope());
        String clusterName = Clusters.requireActive(region, request.cluster()).clusterName();
        Service updated = state.write(caller.scope(), tx -> {
            Cluster cluster = Clusters.requireActive(tx, request.cluster());
            Service service = Services.find(tx, clusterName, request.service())
                    .orElseThrow(EcsException::serviceNotFound);
            if (!Services.ACTIVE.equals(service.status())) {
                throw new EcsException("ServiceNotActiveException", 400, "Service was not ACTIVE.");
            }
            if (TaskSetService.EXTERNAL.equals(controllerType(service.deploymentController()))) {
                return updateExternal(tx, clusterName, service, request);
            }
            boolean daemon = DAEMON.equals(service.schedulingStrategyAsString());
            if (daemon && request.desiredCount() != null) {
                throw EcsException.invalidParameter("The daemon scheduling strategy does not support a desired count "
                        + "for services.");
            }
            if (daemon && request.hasPlacementStrategy() && !request.placementStrategy().isEmpty()) {
                throw EcsException.invalidParameter("The daemon scheduling strategy does not support placement "
                        + "strategies.");
            }
            Service.Builder builder = service.toBuilder();
            DeploymentConfiguration configuration = request.deploymentConfiguration() == null
                    ? service.deploymentConfiguration()
                    : configuration(service.deploymentConfiguration(), request.deploymentConfiguration(),
                            service.schedulingStrategyAsString());
            builder.deploymentConfiguration(configuration);
            List<PlacementConstraint> constraints = request.hasPlacementConstraints() ? request.placementConstraints()
                    : service.placementConstraints();
            List<PlacementStrategy> strategies = request.hasPlacementStrategy() ? request.placementStrategy()
                    : service.placementStrategy();
            String definitionRef = request.taskDefinition() == null ? service.taskDefinition() : request.taskDefinition();
            List<CapacityProviderStrategyItem> providers = providersAfterUpdate(service, request, cluster);
            if (!providers.isEmpty() && daemon) {
                throw EcsException.invalidParameter(
                        "The daemon scheduling strategy does not support capacity provider strategies.");
            }
            String launchType = providers.isEmpty() ? service.launchTypeAsString() : null;
            builder.capacityProviderStrategy(providers.isEmpty() ? null : providers).launchType(launchType);
            TaskDefinition definition = TaskDefinitions.requireRunnable(tx.region(), definitionRef,
                    launchType == null ? "EC2" : launchType, "Services");
            PlacementRules.of(constraints, strategies, definition.placementConstraints());
            builder.placementConstraints(constraints).placementStrategy(strategies);
            int desired = request.desiredCount() != null ? request.desiredCount() : service.desiredCount();
            builder.desiredCount(desired);
            if (propagate != null) {
                builder.propagateTags(propagate);
            }
            if (grace != null) {
                builder.healthCheckGracePeriodSeconds(grace);
            }
            if (request.enableECSManagedTags() != null) {
                builder.enableECSManagedTags(request.enableECSManagedTags());
            }
            if (request.availabilityZoneRebalancingAsString() != null) {
                builder.availabilityZoneRebalancing(request.availabilityZoneRebalancingAsString());
            }
            Instant now = clock.instant();
            boolean newRevision = !definition.taskDefinitionArn().equals(service.taskDefinition())
                    || Boolean.TRUE.equals(request.forceNewDeployment())
                    || !providers.equals(service.capacityProviderStrategy())
                    || request.hasPlacementConstraints() || request.hasPlacementStrategy();
            Service result;
            if (newRevision) {
                Deployment primary = Deployments.primary(Deployments.newId(), definition.taskDefinitionArn(),
                        desired, launchType, providers, now);
                List<Deployment> deployments = new ArrayList<>();
                deployments.add(primary);
                service.deployments().forEach(d -> deployments.add(d.toBuilder().status(Deployments.ACTIVE).build()));
                result = builder.taskDefinition(definition.taskDefinitionArn()).deployments(deployments).build();
                Deployments.record(tx, service.toBuilder().deploymentConfiguration(configuration).build(),
                        clusterName, primary, definition, now);
            } else {
                List<Deployment> deployments = service.deployments().stream()
                        .map(d -> Deployments.PRIMARY.equals(d.status()) ? d.toBuilder().desiredCount(desired).build() : d)
                        .toList();
                result = builder.deployments(deployments).build();
            }
            tx.put(Services.KIND, Services.key(clusterName, service.serviceName()), result);
            return result;
        });
        return UpdateServiceResponse.builder().service(present(state.region(caller.scope()), updated, false)).build();
    }

    /**
     * UpdateService of a service whose task sets an external controller drives: the desired count
     * (which rescales the task sets) and the configuration change, revisions come as new task sets.
     */
    private Service updateExternal(Transaction tx, String clusterName, Service service, UpdateServiceRequest request) {
        if (request.taskDefinition() != null || Boolean.TRUE.equals(request.forceNewDeployment())
                || request.hasPlacementConstraints() || request.hasPlacementStrategy()) {
            throw EcsException.invalidParameter("Unable to update the task definition or placement of a service with "
                    + "the EXTERNAL deployment controller: create a task set instead.");
        }
        Service.Builder builder = service.toBuilder();
        int desired = request.desiredCount() != null ? request.desiredCount() : service.desiredCount();
        builder.desiredCount(desired);
        if (request.deploymentConfiguration() != null) {
            builder.deploymentConfiguration(configuration(service.deploymentConfiguration(),
                    request.deploymentConfiguration(), service.schedulingStrategyAsString()));
        }
        if (request.healthCheckGracePeriodSeconds() != null) {
            builder.healthCheckGracePeriodSeconds(gracePeriod(request.healthCheckGracePeriodSeconds()));
        }
        builder.taskSets(service.taskSets().stream().map(t -> TaskSetService.scaled(t, desired)).toList());
        Service result = builder.build();
        tx.put(Services.KIND, Services.key(clusterName, service.serviceName()), result);
        return result;
    }

    public DeleteServiceResponse deleteService(Caller caller, DeleteServiceRequest request) {
        if (request.service() == null || request.service().isEmpty()) {
            throw EcsException.invalidParameter("service can not be blank.");
        }
        Region region = state.region(caller.scope());
        String clusterName = Clusters.requireActive(region, request.cluster()).clusterName();
        Service deleted = state.write(caller.scope(), tx -> {
            Clusters.requireActive(tx, request.cluster());
            Service service = Services.find(tx, clusterName, request.service())
                    .orElseThrow(EcsException::serviceNotFound);
            if (!Services.ACTIVE.equals(service.status())) {
                throw new EcsException("ServiceNotActiveException", 400, "Service was not ACTIVE.");
            }
            if (REPLICA.equals(service.schedulingStrategyAsString()) && service.desiredCount() > 0
                    && !Boolean.TRUE.equals(request.force())) {
                throw EcsException.invalidParameter("The service cannot be stopped while it is scaled above 0.");
            }
            Service result = service.toBuilder().status(Services.DRAINING).desiredCount(0)
                    .deployments(service.deployments().stream().map(d -> d.toBuilder().desiredCount(0).build()).toList())
                    .build();
            tx.put(Services.KIND, Services.key(clusterName, service.serviceName()), result);
            return result;
        });
        return DeleteServiceResponse.builder().service(present(state.region(caller.scope()), deleted, false)).build();
    }

    public DescribeServicesResponse describeServices(Caller caller, DescribeServicesRequest request) {
        Describe.checkCount(request.hasServices() ? request.services() : null, MAX_DESCRIBE, "services");
        Region region = state.region(caller.scope());
        String clusterName = Clusters.requireActive(region, request.cluster()).clusterName();
        boolean withTags = request.hasInclude() && request.include().contains(ServiceField.TAGS);
        Describe.Result<Service> described = Describe.each(request.hasServices() ? request.services() : null,
                MAX_DESCRIBE, "services",
                ref -> Services.find(region, clusterName, ref).map(service -> present(region, service, withTags)),
                ref -> Services.arn(caller.scope(), clusterName, ref));
        return DescribeServicesResponse.builder().services(described.found()).failures(described.failures()).build();
    }

    public ListServicesResponse listServices(Caller caller, ListServicesRequest request) {
        Region region = state.region(caller.scope());
        String clusterName = Clusters.requireActive(region, request.cluster()).clusterName();
        String launchType = request.launchTypeAsString();
        if (launchType != null && !List.of("EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES").contains(launchType)) {
            throw EcsException.invalidParameter("Invalid launchType: " + launchType);
        }
        String scheduling = request.schedulingStrategyAsString();
        if (scheduling != null && !REPLICA.equals(scheduling) && !DAEMON.equals(scheduling)) {
            throw EcsException.invalidParameter("schedulingStrategy must be REPLICA or DAEMON.");
        }
        List<Service> matching = region.withPrefix(Services.KIND, clusterName + "/").stream()
                .filter(s -> !Services.INACTIVE.equals(s.status()))
                .filter(s -> launchType == null || launchType.equals(s.launchTypeAsString()))
                .filter(s -> scheduling == null || scheduling.equals(s.schedulingStrategyAsString()))
                .toList();
        Paging.Page<Service> page = Paging.page(matching, Service::serviceName, request.maxResults(),
                request.nextToken(), 10, 100);
        return ListServicesResponse.builder()
                .serviceArns(page.items().stream().map(Service::serviceArn).toList())
                .nextToken(page.nextToken())
                .build();
    }

    /**
     * Service Connect namespaces (AWS Cloud Map) do not exist here, so every namespace a request
     * names is unknown, as ECS answers for a namespace it cannot find.
     */
    public ListServicesByNamespaceResponse listServicesByNamespace(Caller caller, ListServicesByNamespaceRequest request) {
        if (request.namespace() == null || request.namespace().isEmpty()) {
            throw EcsException.invalidParameter("namespace can not be blank.");
        }
        if (request.maxResults() != null && (request.maxResults() < 1 || request.maxResults() > 100)) {
            throw EcsException.invalidParameter("maxResults must be between 1 and 100.");
        }
        throw new EcsException("NamespaceNotFoundException", 400, "The specified namespace wasn't found. "
                + "Service Connect namespaces are not supported here.");
    }

    public DescribeServiceDeploymentsResponse describeServiceDeployments(Caller caller,
            DescribeServiceDeploymentsRequest request) {
        if (!request.hasServiceDeploymentArns() || request.serviceDeploymentArns().isEmpty()
                || request.serviceDeploymentArns().size() > MAX_DESCRIBE_DEPLOYMENTS) {
            throw EcsException.invalidParameter("serviceDeploymentArns must list between 1 and "
                    + MAX_DESCRIBE_DEPLOYMENTS + " ARNs.");
        }
        Region region = state.region(caller.scope());
        Describe.Result<ServiceDeployment> described = Describe.each(request.serviceDeploymentArns(),
                MAX_DESCRIBE_DEPLOYMENTS, "service deployments",
                arn -> Deployments.keyOfArn(caller.scope(), "service-deployment", arn)
                        .flatMap(key -> region.get(Services.DEPLOYMENTS, key)),
                arn -> arn);
        return DescribeServiceDeploymentsResponse.builder().serviceDeployments(described.found())
                .failures(described.failures()).build();
    }

    public ListServiceDeploymentsResponse listServiceDeployments(Caller caller, ListServiceDeploymentsRequest request) {
        if (request.service() == null || request.service().isEmpty()) {
            throw EcsException.invalidParameter("service can not be blank.");
        }
        Region region = state.region(caller.scope());
        // Without a cluster, the one in the service's ARN, else the default one.
        String clusterRef = request.cluster() != null ? request.cluster()
                : Services.clusterOf(caller.scope(), request.service()).orElse(null);
        String clusterName = Clusters.requireActive(region, clusterRef).clusterName();
        Service service = Services.find(region, clusterName, request.service()).orElseThrow(EcsException::serviceNotFound);
        List<String> statuses = request.hasStatus() ? request.statusAsStrings() : List.of();
        Instant after = request.createdAt() == null ? null : request.createdAt().after();
        Instant before = request.createdAt() == null ? null : request.createdAt().before();
        String prefix = clusterName + "/" + service.serviceName() + "/";
        // Newest first, as ECS lists them; the creation time and number make a stable paging key.
        List<ServiceDeployment> matching = region.withPrefix(Services.DEPLOYMENTS, prefix).stream()
                .filter(sd -> statuses.isEmpty() || statuses.contains(sd.statusAsString()))
                .filter(sd -> after == null || !sd.createdAt().isBefore(after))
                .filter(sd -> before == null || !sd.createdAt().isAfter(before))
                .sorted(Comparator.comparing(ServiceService::pagingKey))
                .toList();
        Paging.Page<ServiceDeployment> page = Paging.page(matching, ServiceService::pagingKey, request.maxResults(),
                request.nextToken(), 20, 100);
        return ListServiceDeploymentsResponse.builder()
                .serviceDeployments(page.items().stream().map(sd -> ServiceDeploymentBrief.builder()
                        .serviceDeploymentArn(sd.serviceDeploymentArn())
                        .serviceArn(sd.serviceArn())
                        .clusterArn(sd.clusterArn())
                        .startedAt(sd.startedAt())
                        .createdAt(sd.createdAt())
                        .finishedAt(sd.finishedAt())
                        .targetServiceRevisionArn(sd.targetServiceRevision() == null ? null
                                : sd.targetServiceRevision().arn())
                        .status(sd.status())
                        .statusReason(sd.statusReason())
                        .build()).toList())
                .nextToken(page.nextToken())
                .build();
    }

    /**
     * Asks a service deployment in progress to roll back to the last completed one; the scheduler
     * does it at its next step. Only the ROLLBACK stop type is offered here.
     */
    public StopServiceDeploymentResponse stopServiceDeployment(Caller caller, StopServiceDeploymentRequest request) {
        if (request.serviceDeploymentArn() == null || request.serviceDeploymentArn().isEmpty()) {
            throw EcsException.invalidParameter("serviceDeploymentArn can not be blank.");
        }
        String stopType = request.stopTypeAsString() == null ? "ROLLBACK" : request.stopTypeAsString();
        if ("ABORT".equals(stopType)) {
            throw EcsException.unsupportedFeature("The ABORT stop type is not supported here; use ROLLBACK.");
        }
        if (!"ROLLBACK".equals(stopType)) {
            throw EcsException.invalidParameter("stopType must be ROLLBACK or ABORT.");
        }
        String key = Deployments.keyOfArn(caller.scope(), "service-deployment", request.serviceDeploymentArn())
                .orElseThrow(ServiceService::deploymentNotFound);
        ServiceDeployment requested = state.write(caller.scope(), tx -> {
            ServiceDeployment deployment = tx.get(Services.DEPLOYMENTS, key).orElseThrow(ServiceService::deploymentNotFound);
            if (deployment.status() != ServiceDeploymentStatus.IN_PROGRESS
                    && deployment.status() != ServiceDeploymentStatus.PENDING) {
                throw new EcsException("ConflictException", 400, "The service deployment is "
                        + deployment.statusAsString() + "; only one in progress can be stopped.");
            }
            ServiceDeployment result = deployment.toBuilder().status(ServiceDeploymentStatus.ROLLBACK_REQUESTED)
                    .updatedAt(clock.instant()).build();
            tx.put(Services.DEPLOYMENTS, key, result);
            return result;
        });
        return StopServiceDeploymentResponse.builder().serviceDeploymentArn(requested.serviceDeploymentArn()).build();
    }

    private static EcsException deploymentNotFound() {
        return new EcsException("ServiceDeploymentNotFoundException", 400, "The service deployment does not exist.");
    }

    /** Sorts newest first: the inverted creation time, then the ARN. */
    private static String pagingKey(ServiceDeployment deployment) {
        long inverted = Long.MAX_VALUE - deployment.createdAt().toEpochMilli();
        return String.format("%019d", inverted) + deployment.serviceDeploymentArn();
    }

    public DescribeServiceRevisionsResponse describeServiceRevisions(Caller caller, DescribeServiceRevisionsRequest request) {
        if (!request.hasServiceRevisionArns() || request.serviceRevisionArns().isEmpty()
                || request.serviceRevisionArns().size() > MAX_DESCRIBE_DEPLOYMENTS) {
            throw EcsException.invalidParameter("serviceRevisionArns must list between 1 and "
                    + MAX_DESCRIBE_DEPLOYMENTS + " ARNs.");
        }
        Region region = state.region(caller.scope());
        Describe.Result<ServiceRevision> described = Describe.each(request.serviceRevisionArns(),
                MAX_DESCRIBE_DEPLOYMENTS, "service revisions",
                arn -> Deployments.keyOfArn(caller.scope(), "service-revision", arn)
                        .flatMap(key -> region.get(Services.REVISIONS, key)),
                arn -> arn);
        return DescribeServiceRevisionsResponse.builder().serviceRevisions(described.found())
                .failures(described.failures()).build();
    }

    /** The service as ECS shows it: tags only when asked for. */
    private static Service present(Region region, Service service, boolean withTags) {
        Service counted = withCurrentCounts(region, service);
        return withTags ? counted : counted.toBuilder().tags((List<Tag>) null).build();
    }

    /**
     * The service with its running and pending counts, and those of each deployment, as the tasks
     * stand now: the stored ones are as of the scheduler's last step.
     */
    private static Service withCurrentCounts(Region region, Service service) {
        String clusterName = Clusters.nameOf(region.scope(), service.clusterArn()).orElse("");
        String group = Services.GROUP_PREFIX + service.serviceName();
        Map<String, int[]> byDeployment = new HashMap<>();
        for (Task task : region.withPrefix(Tasks.KIND, clusterName + "/")) {
            if (!group.equals(task.group())) {
                continue;
            }
            int[] counts = byDeployment.computeIfAbsent(String.valueOf(task.startedBy()), k -> new int[2]);
            if (Tasks.RUNNING.equals(task.lastStatus())) {
                counts[0]++;
            } else if (Tasks.PENDING.equals(task.lastStatus())) {
                counts[1]++;
            }
        }
        int running = 0;
        int pending = 0;
        List<Deployment> deployments = new ArrayList<>();
        for (Deployment deployment : service.deployments()) {
            int[] counts = byDeployment.getOrDefault(deployment.id(), new int[2]);
            running += counts[0];
            pending += counts[1];
            deployments.add(deployment.toBuilder().runningCount(counts[0]).pendingCount(counts[1]).build());
        }
        List<TaskSet> taskSets = new ArrayList<>();
        for (TaskSet taskSet : service.taskSets()) {
            int[] counts = byDeployment.getOrDefault(taskSet.id(), new int[2]);
            running += counts[0];
            pending += counts[1];
            taskSets.add(taskSet.toBuilder().runningCount(counts[0]).pendingCount(counts[1]).build());
        }
        Service.Builder counted = service.toBuilder().runningCount(running).pendingCount(pending)
                .deployments(deployments).taskSets(service.hasTaskSets() ? taskSets : null);
        if (!deployments.isEmpty()) {
            Deployment primary = deployments.get(0);
            counted.currentServiceDeployment(Deployments.deploymentArn(region.scope(), clusterName,
                    service.serviceName(), primary.id()));
            counted.currentServiceRevisions(deployments.stream().map(d -> ServiceCurrentRevisionSummary.builder()
                    .arn(Deployments.revisionArn(region.scope(), clusterName, service.serviceName(), d.id()))
                    .requestedTaskCount(d.desiredCount())
                    .runningTaskCount(d.runningCount())
                    .pendingTaskCount(d.pendingCount())
                    .build()).toList());
        }
        return counted.build();
    }

    /** The deployment configuration with ECS's defaults, validated; {@code current} fills what a change leaves out. */
    private static DeploymentConfiguration configuration(DeploymentConfiguration current, DeploymentConfiguration asked,
            String scheduling) {
        boolean daemon = DAEMON.equals(scheduling);
        DeploymentConfiguration base = current != null ? current : DeploymentConfiguration.builder()
                .deploymentCircuitBreaker(DeploymentCircuitBreaker.builder().enable(false).rollback(false).build())
                .maximumPercent(daemon ? 100 : 200)
                .minimumHealthyPercent(daemon ? 0 : 100)
                .build();
        if (asked == null) {
            return base;
        }
        if (asked.alarms() != null && Boolean.TRUE.equals(asked.alarms().enable())) {
            throw EcsException.unsupportedFeature("Deployment alarms (CloudWatch) are not supported here.");
        }
        if (asked.strategyAsString() != null && !"ROLLING".equals(asked.strategyAsString())) {
            throw EcsException.unsupportedFeature("Only the ROLLING deployment strategy is supported here.");
        }
        if (asked.hasLifecycleHooks() && !asked.lifecycleHooks().isEmpty()) {
            throw EcsException.unsupportedFeature("Deployment lifecycle hooks are not supported here.");
        }
        int max = asked.maximumPercent() != null ? asked.maximumPercent() : base.maximumPercent();
        int min = asked.minimumHealthyPercent() != null ? asked.minimumHealthyPercent() : base.minimumHealthyPercent();
        if (min < 0 || min > 100) {
            throw EcsException.invalidParameter("minimumHealthyPercent must be between 0 and 100.");
        }
        if (max < 100 && !daemon || max < 1) {
            throw EcsException.invalidParameter("maximumPercent must be at least 100.");
        }
        if (max <= min && !daemon) {
            throw EcsException.invalidParameter("maximumPercent must be greater than minimumHealthyPercent.");
        }
        DeploymentCircuitBreaker breaker = asked.deploymentCircuitBreaker() != null ? asked.deploymentCircuitBreaker()
                : base.deploymentCircuitBreaker();
        DeploymentCircuitBreaker normalized = DeploymentCircuitBreaker.builder()
                .enable(Boolean.TRUE.equals(breaker.enable()))
                .rollback(Boolean.TRUE.equals(breaker.rollback()))
                .build();
        return base.toBuilder().maximumPercent(max).minimumHealthyPercent(min).deploymentCircuitBreaker(normalized)
                .alarms(asked.alarms() != null ? asked.alarms() : base.alarms())
                .build();
    }

    static String controllerType(DeploymentController controller) {
        return controller == null || controller.typeAsString() == null ? "ECS" : controller.typeAsString();
    }

    private static void refuseController(DeploymentController controller) {
        String type = controllerType(controller);
        if (TaskSetService.EXTERNAL.equals(type)) {
            return;
        }
        if ("CODE_DEPLOY".equals(type)) {
            throw EcsException.unsupportedFeature("The " + type + " deployment controller is not supported here; "
                    + "services use the ECS rolling update controller.");
        }
        if (!"ECS".equals(type)) {
            throw EcsException.invalidParameter("Invalid deployment controller type: " + type + ".");
        }
    }

    private static String launchType(String requested, List<CapacityProviderStrategyItem> strategy) {
        if (!strategy.isEmpty()) {
            if (requested != null) {
                throw EcsException.invalidParameter(
                        "Specifying both a launch type and capacity provider strategy is not supported.");
            }
            return "EC2";
        }
        if (requested == null || "EC2".equals(requested) || "EXTERNAL".equals(requested)) {
            return requested == null ? "EC2" : requested;
        }
        if ("FARGATE".equals(requested)) {
            throw EcsException.unsupportedFeature("The FARGATE launch type is not available here: "
                    + "services run on registered container instances, with launchType EC2 or EXTERNAL.");
        }
        throw EcsException.invalidParameter("Invalid launchType: " + requested
                + ". Services run with launchType EC2 or EXTERNAL.");
    }

    /**
     * The strategy a service follows after an update: a requested non-empty strategy replaces the
     * current one (and the launch type); otherwise it stays.
     */
    private static List<CapacityProviderStrategyItem> providersAfterUpdate(Service service, UpdateServiceRequest request,
            Cluster cluster) {
        if (request.hasCapacityProviderStrategy() && !request.capacityProviderStrategy().isEmpty()) {
            CapacityProviderStrategies.validate(request.capacityProviderStrategy(), cluster);
            return List.copyOf(request.capacityProviderStrategy());
        }
        return service.hasCapacityProviderStrategy() ? service.capacityProviderStrategy() : List.of();
    }

    private static void refuseUnsupported(boolean network, boolean loadBalancers, boolean registries,
            boolean serviceConnect, boolean volumes, boolean lattice, Boolean executeCommand) {
        if (network) {
            throw EcsException.invalidParameter("Network Configuration is not valid for the given networkMode "
                    + "of this task definition.");
        }
        if (loadBalancers) {
            throw EcsException.unsupportedFeature("Load balancers are not supported here.");
        }
        if (registries || serviceConnect || lattice) {
            throw EcsException.unsupportedFeature("Service discovery, Service Connect and VPC Lattice are not "
                    + "supported here.");
        }
        if (volumes) {
            throw EcsException.unsupportedFeature("Volume configurations (managed EBS volumes) are not supported here.");
        }
        if (Boolean.TRUE.equals(executeCommand)) {
            throw EcsException.unsupportedFeature("ECS Exec (enableExecuteCommand) is not supported here.");
        }
    }

    private static Integer gracePeriod(Integer seconds) {
        if (seconds != null && seconds < 0) {
            throw EcsException.invalidParameter("healthCheckGracePeriodSeconds can not be negative.");
        }
        return seconds;
    }
}
