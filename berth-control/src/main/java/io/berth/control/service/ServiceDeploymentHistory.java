package io.berth.control.service;

import io.berth.control.Caller;
import io.berth.control.Describe;
import io.berth.control.Paging;
import io.berth.control.cluster.Clusters;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.model.EcsException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsResponse;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentRequest;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentResponse;

/**
 * The service deployments and revisions the deployments recorded: DescribeServiceDeployments,
 * ListServiceDeployments, DescribeServiceRevisions, and StopServiceDeployment, which asks for a rollback.
 */
final class ServiceDeploymentHistory {

    private static final int MAX_DESCRIBE_DEPLOYMENTS = 20;

    private final State state;
    private final Clock clock;

    ServiceDeploymentHistory(State state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    DescribeServiceDeploymentsResponse describeServiceDeployments(Caller caller,
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

    ListServiceDeploymentsResponse listServiceDeployments(Caller caller, ListServiceDeploymentsRequest request) {
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
                .sorted(Comparator.comparing(ServiceDeploymentHistory::pagingKey))
                .toList();
        Paging.Page<ServiceDeployment> page = Paging.page(matching, ServiceDeploymentHistory::pagingKey,
                request.maxResults(), request.nextToken(), 20, 100);
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
    StopServiceDeploymentResponse stopServiceDeployment(Caller caller, StopServiceDeploymentRequest request) {
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
                .orElseThrow(ServiceDeploymentHistory::deploymentNotFound);
        ServiceDeployment requested = state.write(caller.scope(), tx -> {
            ServiceDeployment deployment = tx.get(Services.DEPLOYMENTS, key)
                    .orElseThrow(ServiceDeploymentHistory::deploymentNotFound);
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

    DescribeServiceRevisionsResponse describeServiceRevisions(Caller caller, DescribeServiceRevisionsRequest request) {
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
}
