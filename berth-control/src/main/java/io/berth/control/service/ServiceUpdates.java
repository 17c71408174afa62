package io.berth.control.service;

import io.berth.control.Caller;
import io.berth.control.cluster.Clusters;
import io.berth.control.fargate.FargateCapacity;
import io.berth.control.fargate.FargatePlatform;
import io.berth.control.fargate.FargateServices;
import io.berth.control.network.TaskNetworks;
import io.berth.control.placement.PlacementRules;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.state.Transaction;
import io.berth.control.tag.Tags;
import io.berth.control.taskdef.TaskDefinitions;
import io.berth.model.EcsException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.DeleteServiceRequest;
import software.amazon.awssdk.services.ecs.model.DeleteServiceResponse;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import software.amazon.awssdk.services.ecs.model.UpdateServiceResponse;

/**
 * UpdateService, which may start a new deployment, and DeleteService, which drains the service:
 * its desired count becomes 0 and the reconciler stops its tasks.
 */
final class ServiceUpdates {

    private final State state;
    private final Clock clock;

    ServiceUpdates(State state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    UpdateServiceResponse updateService(Caller caller, UpdateServiceRequest request) {
        if (request.service() == null || request.service().isEmpty()) {
            throw EcsException.invalidParameter("service can not be blank.");
        }
        if (request.desiredCount() != null && request.desiredCount() < 0) {
            throw EcsException.invalidParameter("desiredCount can not be less than 0.");
        }
        if (request.deploymentController() != null) {
            throw EcsException.unsupportedFeature("Changing the deployment controller of a service is not supported here.");
        }
        ServiceRules.refuseUnsupported(request.hasLoadBalancers() && !request.loadBalancers().isEmpty(),
                request.hasServiceRegistries() && !request.serviceRegistries().isEmpty(),
                request.serviceConnectConfiguration() != null,
                request.hasVolumeConfigurations() && !request.volumeConfigurations().isEmpty(),
                request.hasVpcLatticeConfigurations() && !request.vpcLatticeConfigurations().isEmpty(),
                request.enableExecuteCommand());
        String propagate = Tags.validPropagateTags(request.propagateTagsAsString());
        Integer grace = request.healthCheckGracePeriodSeconds() == null ? null
                : ServiceRules.gracePeriod(request.healthCheckGracePeriodSeconds());
        Region region = state.region(caller.scope());
        String clusterName = Clusters.requireActive(region, request.cluster()).clusterName();
        Service updated = state.write(caller.scope(), tx -> {
            Cluster cluster = Clusters.requireActive(tx, request.cluster());
            Service service = Services.find(tx, clusterName, request.service())
                    .orElseThrow(EcsException::serviceNotFound);
            if (!Services.ACTIVE.equals(service.status())) {
                throw new EcsException("ServiceNotActiveException", 400, "Service was not ACTIVE.");
            }
            if (TaskSetService.EXTERNAL.equals(ServiceRules.controllerType(service.deploymentController()))) {
                return updateExternal(tx, clusterName, service, request);
            }
            boolean daemon = ServiceRules.DAEMON.equals(service.schedulingStrategyAsString());
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
                    : ServiceRules.configuration(service.deploymentConfiguration(), request.deploymentConfiguration(),
                            service.schedulingStrategyAsString());
            builder.deploymentConfiguration(configuration);
            List<PlacementConstraint> constraints = request.hasPlacementConstraints() ? request.placementConstraints()
                    : service.placementConstraints();
            List<PlacementStrategy> strategies = request.hasPlacementStrategy() ? request.placementStrategy()
                    : service.placementStrategy();
            String definitionRef = request.taskDefinition() == null ? service.taskDefinition() : request.taskDefinition();
            List<CapacityProviderStrategyItem> providers = ServiceRules.providersAfterUpdate(service, request, cluster);
            if (!providers.isEmpty() && daemon) {
                throw EcsException.invalidParameter(
                        "The daemon scheduling strategy does not support capacity provider strategies.");
            }
            String launchType = providers.isEmpty() ? service.launchTypeAsString() : null;
            builder.capacityProviderStrategy(providers.isEmpty() ? null : providers).launchType(launchType);
            String tasksLaunchType = launchType != null ? launchType : FargateCapacity.launchTypeOf(providers);
            // A Fargate service keeps its platform version unless the update names another.
            String platformVersion = FargatePlatform.requested(request.platformVersion() != null
                    ? request.platformVersion() : FargateCapacity.LAUNCH_TYPE.equals(tasksLaunchType)
                    ? service.platformVersion() : null, tasksLaunchType);
            FargateServices.onPlatform(builder, platformVersion);
            FargateCapacity.refusePlacementRules(tasksLaunchType, !constraints.isEmpty(), !strategies.isEmpty());
            TaskDefinition definition = TaskDefinitions.requireRunnable(tx.region(), definitionRef,
                    tasksLaunchType, "Services");
            PlacementRules.of(constraints, strategies, definition.placementConstraints());
            // A configuration left out stays, as long as the definition still takes one.
            NetworkConfiguration network = TaskNetworks.check(request.networkConfiguration() != null
                    ? request.networkConfiguration()
                    : "awsvpc".equals(definition.networkModeAsString()) ? service.networkConfiguration() : null,
                    definition, tasksLaunchType, providers);
            builder.networkConfiguration(network);
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
                    || request.hasPlacementConstraints() || request.hasPlacementStrategy()
                    || !Objects.equals(network, service.networkConfiguration())
                    || !Objects.equals(platformVersion, service.platformVersion());
            Service result;
            if (newRevision) {
                Deployment primary = FargateServices.onPlatform(Deployments.primary(Deployments.newId(),
                        definition.taskDefinitionArn(), desired, launchType, providers, now), definition, platformVersion)
                        .toBuilder().networkConfiguration(network).build();
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
        return UpdateServiceResponse.builder().service(ServiceViews.present(state.region(caller.scope()), updated, false))
                .build();
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
            builder.deploymentConfiguration(ServiceRules.configuration(service.deploymentConfiguration(),
                    request.deploymentConfiguration(), service.schedulingStrategyAsString()));
        }
        if (request.healthCheckGracePeriodSeconds() != null) {
            builder.healthCheckGracePeriodSeconds(ServiceRules.gracePeriod(request.healthCheckGracePeriodSeconds()));
        }
        builder.taskSets(service.taskSets().stream().map(t -> TaskSetService.scaled(t, desired)).toList());
        Service result = builder.build();
        tx.put(Services.KIND, Services.key(clusterName, service.serviceName()), result);
        return result;
    }

    DeleteServiceResponse deleteService(Caller caller, DeleteServiceRequest request) {
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
            if (ServiceRules.REPLICA.equals(service.schedulingStrategyAsString()) && service.desiredCount() > 0
                    && !Boolean.TRUE.equals(request.force())) {
                throw EcsException.invalidParameter("The service cannot be stopped while it is scaled above 0.");
            }
            Service result = service.toBuilder().status(Services.DRAINING).desiredCount(0)
                    .deployments(service.deployments().stream().map(d -> d.toBuilder().desiredCount(0).build()).toList())
                    .build();
            tx.put(Services.KIND, Services.key(clusterName, service.serviceName()), result);
            return result;
        });
        return DeleteServiceResponse.builder().service(ServiceViews.present(state.region(caller.scope()), deleted, false))
                .build();
    }
}
