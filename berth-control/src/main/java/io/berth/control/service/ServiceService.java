package io.berth.control.service;

import io.berth.control.Caller;
import io.berth.control.Operations;
import io.berth.control.state.State;
import java.time.Clock;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.CreateServiceResponse;
import software.amazon.awssdk.services.ecs.model.DeleteServiceRequest;
import software.amazon.awssdk.services.ecs.model.DeleteServiceResponse;
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
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentRequest;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentResponse;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import software.amazon.awssdk.services.ecs.model.UpdateServiceResponse;

/**
 * Services: CreateService ({@link ServiceCreation}), UpdateService and DeleteService
 * ({@link ServiceUpdates}), DescribeServices, ListServices and ListServicesByNamespace
 * ({@link ServiceLookups}), and the service deployments and revisions ({@link ServiceDeploymentHistory});
 * {@link ServiceRules} checks what a request asks for.
 * The operations record what is wanted; the {@link ServiceReconciler} starts and stops the tasks.
 */
public final class ServiceService {

    private final ServiceCreation creation;
    private final ServiceUpdates updates;
    private final ServiceLookups lookups;
    private final ServiceDeploymentHistory history;

    public ServiceService(State state, Clock clock) {
        this.creation = new ServiceCreation(state, clock);
        this.updates = new ServiceUpdates(state, clock);
        this.lookups = new ServiceLookups(state);
        this.history = new ServiceDeploymentHistory(state, clock);
    }

    public void addTo(Operations operations) {
        operations.add("CreateService", CreateServiceRequest.class, creation::createService);
        operations.add("UpdateService", UpdateServiceRequest.class, updates::updateService);
        operations.add("DeleteService", DeleteServiceRequest.class, updates::deleteService);
        operations.add("DescribeServices", DescribeServicesRequest.class, lookups::describeServices);
        operations.add("ListServices", ListServicesRequest.class, lookups::listServices);
        operations.add("ListServicesByNamespace", ListServicesByNamespaceRequest.class,
                lookups::listServicesByNamespace);
        operations.add("DescribeServiceDeployments", DescribeServiceDeploymentsRequest.class,
                history::describeServiceDeployments);
        operations.add("ListServiceDeployments", ListServiceDeploymentsRequest.class, history::listServiceDeployments);
        operations.add("DescribeServiceRevisions", DescribeServiceRevisionsRequest.class,
                history::describeServiceRevisions);
        operations.add("StopServiceDeployment", StopServiceDeploymentRequest.class, history::stopServiceDeployment);
    }

    public CreateServiceResponse createService(Caller caller, CreateServiceRequest request) {
        return creation.createService(caller, request);
    }

    public UpdateServiceResponse updateService(Caller caller, UpdateServiceRequest request) {
        return updates.updateService(caller, request);
    }

    public DeleteServiceResponse deleteService(Caller caller, DeleteServiceRequest request) {
        return updates.deleteService(caller, request);
    }

    public DescribeServicesResponse describeServices(Caller caller, DescribeServicesRequest request) {
        return lookups.describeServices(caller, request);
    }

    public ListServicesResponse listServices(Caller caller, ListServicesRequest request) {
        return lookups.listServices(caller, request);
    }

    public ListServicesByNamespaceResponse listServicesByNamespace(Caller caller,
            ListServicesByNamespaceRequest request) {
        return lookups.listServicesByNamespace(caller, request);
    }

    public DescribeServiceDeploymentsResponse describeServiceDeployments(Caller caller,
            DescribeServiceDeploymentsRequest request) {
        return history.describeServiceDeployments(caller, request);
    }

    public ListServiceDeploymentsResponse listServiceDeployments(Caller caller, ListServiceDeploymentsRequest request) {
        return history.listServiceDeployments(caller, request);
    }

    public DescribeServiceRevisionsResponse describeServiceRevisions(Caller caller,
            DescribeServiceRevisionsRequest request) {
        return history.describeServiceRevisions(caller, request);
    }

    public StopServiceDeploymentResponse stopServiceDeployment(Caller caller, StopServiceDeploymentRequest request) {
        return history.stopServiceDeployment(caller, request);
    }
}
