package io.berth.control.service;

import io.berth.control.Caller;
import io.berth.control.capacity.CapacityProviderStrategies;
import io.berth.control.cluster.Clusters;
import io.berth.control.fargate.FargateCapacity;
import io.berth.control.fargate.FargatePlatform;
import io.berth.control.fargate.FargateServices;
import io.berth.control.network.TaskNetworks;
import io.berth.control.placement.PlacementRules;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.tag.Tags;
import io.berth.control.taskdef.TaskDefinitions;
import io.berth.model.EcsException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.CreateServiceResponse;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentController;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** CreateService: the request checked, the service and its first deployment recorded. */
final class ServiceCreation {

    private final State state;
    private final Clock clock;

    ServiceCreation(State state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    CreateServiceResponse createService(Caller caller, CreateServiceRequest request) {
        String name = request.serviceName();
        if (name == null || name.isEmpty()) {
            throw EcsException.invalidParameter("serviceName can not be blank.");
        }
        if (!ServiceRules.NAME.matcher(name).matches()) {
            throw EcsException.invalidParameter("Service name can have up to 255 characters: letters, numbers, "
                    + "hyphens and underscores.");
        }
        String scheduling = request.schedulingStrategyAsString() == null ? ServiceRules.REPLICA
                : request.schedulingStrategyAsString();
        if (!ServiceRules.REPLICA.equals(scheduling) && !ServiceRules.DAEMON.equals(scheduling)) {
            throw EcsException.invalidParameter("schedulingStrategy must be REPLICA or DAEMON.");
        }
        ServiceRules.refuseController(request.deploymentController());
        if (ServiceRules.DAEMON.equals(scheduling)
                && TaskSetService.EXTERNAL.equals(ServiceRules.controllerType(request.deploymentController()))) {
            throw EcsException.invalidParameter("The daemon scheduling strategy can only be used with the ECS "
                    + "deployment controller.");
        }
        boolean external = TaskSetService.EXTERNAL.equals(ServiceRules.controllerType(request.deploymentController()));
        if (!external && (request.taskDefinition() == null || request.taskDefinition().isEmpty())) {
            throw EcsException.invalidParameter("TaskDefinition can not be blank.");
        }
        Integer desiredCount = request.desiredCount();
        if (ServiceRules.DAEMON.equals(scheduling)) {
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
        String requestedLaunchType = ServiceRules.launchType(request.launchTypeAsString(),
                request.hasCapacityProviderStrategy() ? request.capacityProviderStrategy() : List.of());
        ServiceRules.refuseUnsupported(request.hasLoadBalancers() && !request.loadBalancers().isEmpty(),
                request.hasServiceRegistries() && !request.serviceRegistries().isEmpty(),
                request.serviceConnectConfiguration() != null,
                request.hasVolumeConfigurations() && !request.volumeConfigurations().isEmpty(),
                request.hasVpcLatticeConfigurations() && !request.vpcLatticeConfigurations().isEmpty(),
                request.enableExecuteCommand());
        DeploymentConfiguration configuration = ServiceRules.configuration(null, request.deploymentConfiguration(),
                scheduling);
        List<PlacementConstraint> constraints = request.hasPlacementConstraints() ? request.placementConstraints() : List.of();
        List<PlacementStrategy> strategies = request.hasPlacementStrategy() ? request.placementStrategy() : List.of();
        List<Tag> tags = Tags.validate(request.hasTags() && !request.tags().isEmpty() ? request.tags() : null);
        String propagate = Objects.requireNonNullElse(Tags.validPropagateTags(request.propagateTagsAsString()), "NONE");
        Integer grace = ServiceRules.gracePeriod(request.healthCheckGracePeriodSeconds());
        Region region = state.region(caller.scope());
        Cluster current = Clusters.requireActive(region, request.cluster());
        String clusterName = current.clusterName();
        // Without a launch type or strategy the cluster's default strategy decides, which may be Fargate's.
        String launchType = request.launchTypeAsString() == null && (!request.hasCapacityProviderStrategy()
                || request.capacityProviderStrategy().isEmpty()) && current.hasDefaultCapacityProviderStrategy()
                && !current.defaultCapacityProviderStrategy().isEmpty()
                ? FargateCapacity.launchTypeOf(current.defaultCapacityProviderStrategy()) : requestedLaunchType;
        String platformVersion = FargatePlatform.requested(request.platformVersion(), launchType);
        FargateCapacity.refusePlacementRules(launchType, !constraints.isEmpty(), !strategies.isEmpty());
        if (platformVersion != null && ServiceRules.DAEMON.equals(scheduling)) {
            throw EcsException.invalidParameter("The DAEMON scheduling strategy is not supported with the FARGATE "
                    + "launch type.");
        }
        // With the EXTERNAL controller the task definition comes with each task set.
        TaskDefinition definition = external ? null
                : TaskDefinitions.requireRunnable(region, request.taskDefinition(), launchType, "Services");
        PlacementRules.of(constraints, strategies, external ? List.of() : definition.placementConstraints());
        // With the EXTERNAL controller each task set has its own.
        NetworkConfiguration network = external ? null : TaskNetworks.check(request.networkConfiguration(), definition,
                launchType, request.hasCapacityProviderStrategy() ? request.capacityProviderStrategy() : List.of());
        Service created = state.write(caller.scope(), tx -> {
            Cluster cluster = Clusters.requireActive(tx, request.cluster());
            List<CapacityProviderStrategyItem> providers = external ? List.of() : CapacityProviderStrategies.effective(
                    request.hasCapacityProviderStrategy() ? request.capacityProviderStrategy() : List.of(),
                    request.launchTypeAsString(), cluster);
            if (!providers.isEmpty() && ServiceRules.DAEMON.equals(scheduling)) {
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
                        && Objects.equals(ServiceRules.controllerType(same.deploymentController()),
                                ServiceRules.controllerType(request.deploymentController()))
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
                    : FargateServices.onPlatform(Deployments.primary(deploymentId, definition.taskDefinitionArn(),
                            desired, serviceLaunchType, providers, now), definition, platformVersion).toBuilder()
                            .networkConfiguration(network).build();
            Service service = FargateServices.onPlatform(Service.builder(), platformVersion)
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
                    .networkConfiguration(network)
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
        return CreateServiceResponse.builder().service(ServiceViews.present(state.region(caller.scope()), created, true))
                .build();
    }
}
