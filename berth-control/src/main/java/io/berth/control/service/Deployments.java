package io.berth.control.service;

import io.berth.control.Scope;
import io.berth.control.state.Transaction;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.ecs.model.ContainerImage;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentRollbackMonitorsStatus;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;
import software.amazon.awssdk.services.ecs.model.ServiceRevisionSummary;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * Deployments of the ECS deployment controller. A service holds its current deployments (one
 * PRIMARY, older ones ACTIVE until replaced); each deployment also has a service deployment record
 * and a service revision, which outlive it for DescribeServiceDeployments and DescribeServiceRevisions.
 */
final class Deployments {

    static final String PRIMARY = "PRIMARY";
    static final String ACTIVE = "ACTIVE";
    static final String ID_PREFIX = "ecs-svc/";

    private Deployments() {
    }

    /** A deployment id as ECS makes them: {@code ecs-svc/} and 19 digits. */
    static String newId() {
        long number = ThreadLocalRandom.current().nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE);
        return ID_PREFIX + number;
    }

    /** The digits of a deployment id, which also name its service deployment and revision. */
    static String number(String deploymentId) {
        return deploymentId.substring(ID_PREFIX.length());
    }

    static Deployment primary(String id, String taskDefinitionArn, int desiredCount, String launchType, Instant now) {
        return primary(id, taskDefinitionArn, desiredCount, launchType, java.util.List.of(), now);
    }

    /** A new PRIMARY deployment; on capacity providers it has the strategy and no launch type. */
    static Deployment primary(String id, String taskDefinitionArn, int desiredCount, String launchType,
            java.util.List<software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem> strategy,
            Instant now) {
        return Deployment.builder()
                .capacityProviderStrategy(strategy.isEmpty() ? null : strategy)
                .id(id)
                .status(PRIMARY)
                .taskDefinition(taskDefinitionArn)
                .desiredCount(desiredCount)
                .pendingCount(0)
                .runningCount(0)
                .failedTasks(0)
                .createdAt(now)
                .updatedAt(now)
                .launchType(launchType)
                .rolloutState(DeploymentRolloutState.IN_PROGRESS)
                .rolloutStateReason("ECS deployment " + id + " in progress.")
                .build();
    }

    static Optional<Deployment> primaryOf(Service service) {
        return service.deployments().stream().filter(d -> PRIMARY.equals(d.status())).findFirst();
    }

    static String key(String clusterName, String serviceName, String deploymentId) {
        return clusterName + "/" + serviceName + "/" + number(deploymentId);
    }

    static String deploymentArn(Scope scope, String clusterName, String serviceName, String deploymentId) {
        return scope.arn("service-deployment/" + clusterName + "/" + serviceName + "/" + number(deploymentId));
    }

    static String revisionArn(Scope scope, String clusterName, String serviceName, String deploymentId) {
        return scope.arn("service-revision/" + clusterName + "/" + serviceName + "/" + number(deploymentId));
    }

    /** The key of a service deployment or revision named by its ARN, if it is of this scope. */
    static Optional<String> keyOfArn(Scope scope, String resourceType, String arn) {
        String prefix = scope.arn(resourceType + "/");
        if (arn == null || !arn.startsWith(prefix)) {
            return Optional.empty();
        }
        String key = arn.substring(prefix.length());
        return key.split("/").length == 3 ? Optional.of(key) : Optional.empty();
    }

    /**
     * Records a new deployment of the service: its revision and its service deployment, which
     * replaces the deployments still in progress.
     */
    static void record(Transaction tx, Service service, String clusterName, Deployment deployment,
            TaskDefinition definition, Instant now) {
        Scope scope = tx.scope();
        String name = service.serviceName();
        String revisionArn = revisionArn(scope, clusterName, name, deployment.id());
        tx.put(Services.REVISIONS, key(clusterName, name, deployment.id()), ServiceRevision.builder()
                .serviceRevisionArn(revisionArn)
                .serviceArn(service.serviceArn())
                .clusterArn(service.clusterArn())
                .taskDefinition(definition.taskDefinitionArn())
                .launchType(service.launchType())
                .networkConfiguration(deployment.networkConfiguration())
                .loadBalancers(List.of())
                .serviceRegistries(List.of())
                .containerImages(definition.containerDefinitions().stream()
                        .map(c -> ContainerImage.builder().containerName(c.name()).image(c.image()).build()).toList())
                .guardDutyEnabled(false)
                .createdAt(now)
                .build());
        List<ServiceRevisionSummary> sources = service.deployments().stream()
                .filter(d -> !d.id().equals(deployment.id()))
                .map(d -> ServiceRevisionSummary.builder()
                        .arn(revisionArn(scope, clusterName, name, d.id()))
                        .requestedTaskCount(d.desiredCount())
                        .runningTaskCount(d.runningCount())
                        .pendingTaskCount(d.pendingCount())
                        .build())
                .toList();
        for (Deployment older : service.deployments()) {
            String olderKey = key(clusterName, name, older.id());
            tx.get(Services.DEPLOYMENTS, olderKey)
                    .filter(sd -> sd.status() == ServiceDeploymentStatus.IN_PROGRESS
                            || sd.status() == ServiceDeploymentStatus.PENDING)
                    .ifPresent(sd -> tx.put(Services.DEPLOYMENTS, olderKey, sd.toBuilder()
                            .status(ServiceDeploymentStatus.STOPPED)
                            .statusReason("Stopped by a newer service deployment.")
                            .stoppedAt(now).updatedAt(now).build()));
        }
        DeploymentConfiguration configuration = service.deploymentConfiguration();
        DeploymentCircuitBreaker breaker = configuration.deploymentCircuitBreaker();
        boolean breakerOn = breaker != null && Boolean.TRUE.equals(breaker.enable());
        tx.put(Services.DEPLOYMENTS, key(clusterName, name, deployment.id()), ServiceDeployment.builder()
                .serviceDeploymentArn(deploymentArn(scope, clusterName, name, deployment.id()))
                .serviceArn(service.serviceArn())
                .clusterArn(service.clusterArn())
                .createdAt(now)
                .startedAt(now)
                .updatedAt(now)
                .sourceServiceRevisions(sources)
                .targetServiceRevision(ServiceRevisionSummary.builder().arn(revisionArn)
                        .requestedTaskCount(deployment.desiredCount()).runningTaskCount(0).pendingTaskCount(0).build())
                .status(ServiceDeploymentStatus.IN_PROGRESS)
                .deploymentConfiguration(configuration)
                .deploymentCircuitBreaker(ServiceDeploymentCircuitBreaker.builder()
                        .status(breakerOn ? ServiceDeploymentRollbackMonitorsStatus.MONITORING
                                : ServiceDeploymentRollbackMonitorsStatus.DISABLED)
                        .failureCount(0)
                        .threshold(breakerOn ? CircuitBreaker.threshold(deployment.desiredCount()) : 0)
                        .build())
                .build());
    }

    /** The deployment circuit breaker's failure threshold for a desired count, as ECS computes it. */
    static final class CircuitBreaker {

        private CircuitBreaker() {
        }

        static int threshold(int desiredCount) {
            return Math.max(3, Math.min(200, (desiredCount + 1) / 2));
        }
    }
}
