package io.berth.control.service;

import io.berth.control.Caller;
import io.berth.control.Describe;
import io.berth.control.Paging;
import io.berth.control.cluster.Clusters;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.model.EcsException;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.ListServicesByNamespaceRequest;
import software.amazon.awssdk.services.ecs.model.ListServicesByNamespaceResponse;
import software.amazon.awssdk.services.ecs.model.ListServicesRequest;
import software.amazon.awssdk.services.ecs.model.ListServicesResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;

/** DescribeServices, ListServices and ListServicesByNamespace. */
final class ServiceLookups {

    private static final int MAX_DESCRIBE = 10;

    private final State state;

    ServiceLookups(State state) {
        this.state = state;
    }

    DescribeServicesResponse describeServices(Caller caller, DescribeServicesRequest request) {
        Describe.checkCount(request.hasServices() ? request.services() : null, MAX_DESCRIBE, "services");
        Region region = state.region(caller.scope());
        String clusterName = Clusters.requireActive(region, request.cluster()).clusterName();
        boolean withTags = request.hasInclude() && request.include().contains(ServiceField.TAGS);
        Describe.Result<Service> described = Describe.each(request.hasServices() ? request.services() : null,
                MAX_DESCRIBE, "services",
                ref -> Services.find(region, clusterName, ref)
                        .map(service -> ServiceViews.present(region, service, withTags)),
                ref -> Services.arn(caller.scope(), clusterName, ref));
        return DescribeServicesResponse.builder().services(described.found()).failures(described.failures()).build();
    }

    ListServicesResponse listServices(Caller caller, ListServicesRequest request) {
        Region region = state.region(caller.scope());
        String clusterName = Clusters.requireActive(region, request.cluster()).clusterName();
        String launchType = request.launchTypeAsString();
        if (launchType != null && !List.of("EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES").contains(launchType)) {
            throw EcsException.invalidParameter("Invalid launchType: " + launchType);
        }
        String scheduling = request.schedulingStrategyAsString();
        if (scheduling != null && !ServiceRules.REPLICA.equals(scheduling) && !ServiceRules.DAEMON.equals(scheduling)) {
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
    ListServicesByNamespaceResponse listServicesByNamespace(Caller caller, ListServicesByNamespaceRequest request) {
        if (request.namespace() == null || request.namespace().isEmpty()) {
            throw EcsException.invalidParameter("namespace can not be blank.");
        }
        if (request.maxResults() != null && (request.maxResults() < 1 || request.maxResults() > 100)) {
            throw EcsException.invalidParameter("maxResults must be between 1 and 100.");
        }
        throw new EcsException("NamespaceNotFoundException", 400, "The specified namespace wasn't found. "
                + "Service Connect namespaces are not supported here.");
    }
}
