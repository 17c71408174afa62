package io.berth.control.service;

import io.berth.control.capacity.CapacityProviderStrategies;
import io.berth.control.fargate.FargateCapacity;
import io.berth.model.EcsException;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentController;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/** What a service request may ask for, checked as ECS checks it, with ECS's defaults filled in. */
final class ServiceRules {

    static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,255}");
    static final String REPLICA = "REPLICA";
    static final String DAEMON = "DAEMON";

    private ServiceRules() {
    }

    /** The deployment configuration with ECS's defaults, validated; {@code current} fills what a change leaves out. */
    static DeploymentConfiguration configuration(DeploymentConfiguration current, DeploymentConfiguration asked,
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

    static void refuseController(DeploymentController controller) {
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

    /** The launch type of a service's tasks: the requested one, else its strategy's (FARGATE on Fargate providers). */
    static String launchType(String requested, List<CapacityProviderStrategyItem> strategy) {
        if (!strategy.isEmpty()) {
            if (requested != null) {
                throw EcsException.invalidParameter(
                        "Specifying both a launch type and capacity provider strategy is not supported.");
            }
            return FargateCapacity.launchTypeOf(strategy);
        }
        if (requested == null || "EC2".equals(requested) || "EXTERNAL".equals(requested)
                || FargateCapacity.LAUNCH_TYPE.equals(requested)) {
            return requested == null ? "EC2" : requested;
        }
        throw EcsException.invalidParameter("Invalid launchType: " + requested
                + ". Services run with launchType EC2, EXTERNAL or FARGATE.");
    }

    /**
     * The strategy a service follows after an update: a requested non-empty strategy replaces the
     * current one (and the launch type); otherwise it stays.
     */
    static List<CapacityProviderStrategyItem> providersAfterUpdate(Service service, UpdateServiceRequest request,
            Cluster cluster) {
        if (request.hasCapacityProviderStrategy() && !request.capacityProviderStrategy().isEmpty()) {
            CapacityProviderStrategies.validate(request.capacityProviderStrategy(), cluster);
            return List.copyOf(request.capacityProviderStrategy());
        }
        return service.hasCapacityProviderStrategy() ? service.capacityProviderStrategy() : List.of();
    }

    static void refuseUnsupported(boolean loadBalancers, boolean registries,
            boolean serviceConnect, boolean volumes, boolean lattice, Boolean executeCommand) {
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

    static Integer gracePeriod(Integer seconds) {
        if (seconds != null && seconds < 0) {
            throw EcsException.invalidParameter("healthCheckGracePeriodSeconds can not be negative.");
        }
        return seconds;
    }
}
