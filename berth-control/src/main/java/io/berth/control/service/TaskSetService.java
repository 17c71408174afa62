package io.berth.control.service;

import io.berth.control.Caller;
import io.berth.control.Operations;
import io.berth.control.Scope;
import io.berth.control.capacity.CapacityProviderStrategies;
import io.berth.control.cluster.Clusters;
import io.berth.control.fargate.FargateCapacity;
import io.berth.control.fargate.FargatePlatform;
import io.berth.control.fargate.FargateServices;
import io.berth.control.network.TaskNetworks;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.state.Transaction;
import io.berth.control.tag.Tags;
import io.berth.control.taskdef.TaskDefinitions;
import io.berth.model.Arns;
import io.berth.model.EcsException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.CreateTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.CreateTaskSetResponse;
import software.amazon.awssdk.services.ecs.model.DeleteTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.DeleteTaskSetResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskSetsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTaskSetsResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.Scale;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.StabilityStatus;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskSet;
import software.amazon.awssdk.services.ecs.model.TaskSetField;
import software.amazon.awssdk.services.ecs.model.UpdateServicePrimaryTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.UpdateServicePrimaryTaskSetResponse;
import software.amazon.awssdk.services.ecs.model.UpdateTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.UpdateTaskSetResponse;

/**
 * Task sets of services whose deployments an external controller drives. Each task set runs its
 * share ({@code scale}, a percentage of the service's desired count, rounded up) of tasks of its
 * own task definition; the {@link ServiceReconciler} keeps that many running. The controller
 * moves traffic (nothing here balances load) and names the PRIMARY task set, whose task
 * definition the service shows.
 */
public final class TaskSetService {

    static final String EXTERNAL = "EXTERNAL";
    static final String PRIMARY = "PRIMARY";
    static final String ACTIVE = "ACTIVE";
    static final String DRAINING = "DRAINING";
    private static final int MAX_EXTERNAL_ID = 255;

    private final State state;
    private final Clock clock;

    public TaskSetService(State state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    public void addTo(Operations operations) {
        operations.add("CreateTaskSet", CreateTaskSetRequest.class, this::createTaskSet);
        operations.add("UpdateTaskSet", UpdateTaskSetRequest.class, this::updateTaskSet);
        operations.add("DeleteTaskSet", DeleteTaskSetRequest.class, this::deleteTaskSet);
        operations.add("DescribeTaskSets", DescribeTaskSetsRequest.class, this::describeTaskSets);
        operations.add("UpdateServicePrimaryTaskSet", UpdateServicePrimaryTaskSetRequest.class,
                this::updateServicePrimaryTaskSet);
    }

    public CreateTaskSetResponse createTaskSet(Caller caller, CreateTaskSetRequest request) {
        requireNamed(request.service(), "service");
        requireNamed(request.cluster(), "cluster");
        requireNamed(request.taskDefinition(), "taskDefinition");
        if (request.externalId() != null && request.externalId().length() > MAX_EXTERNAL_ID) {
            throw EcsException.invalidParameter("externalId can have at most " + MAX_EXTERNAL_ID + " characters.");
        }
        if (request.hasLoadBalancers() && !request.loadBalancers().isEmpty()
                || request.hasServiceRegistries() && !request.serviceRegistries().isEmpty()) {
            throw EcsException.unsupportedFeature("Load balancers and service discovery are not supported here.");
        }
        List<CapacityProviderStrategyItem> strategy = request.hasCapacityProviderStrategy()
                ? request.capacityProviderStrategy() : List.of();
        if (!strategy.isEmpty() && request.launchTypeAsString() != null) {
            throw EcsException.invalidParameter(
                    "Specifying both a launch type and capacity provider strategy is not supported.");
        }
        Scale scale = validScale(request.scale() == null ? Scale.builder().value(100.0).unit("PERCENT").build()
                : request.scale());
        List<Tag> tags = Tags.validate(request.hasTags() && !request.tags().isEmpty() ? request.tags() : null);
        TaskSet created = state.write(caller.scope(), tx -> {
            Located located = locate(tx, request.cluster(), request.service());
            Service service = located.service();
            if (!strategy.isEmpty()) {
                CapacityProviderStrategies.validate(strategy, Clusters.requireActive(tx, request.cluster()));
            }
            // On a strategy a task set has no launch type; its tasks run as the strategy's providers run them.
            String launchType = !strategy.isEmpty() ? null : request.launchTypeAsString() != null
                    ? request.launchTypeAsString() : service.launchTypeAsString();
            String tasksLaunchType = launchType != null ? launchType : FargateCapacity.launchTypeOf(strategy);
            if (!List.of("EC2", "EXTERNAL", FargateCapacity.LAUNCH_TYPE).contains(tasksLaunchType)) {
                throw EcsException.invalidParameter("Invalid launchType: " + tasksLaunchType
                        + ". Task sets run with launchType EC2, EXTERNAL or FARGATE.");
            }
            String platformVersion = FargatePlatform.requested(request.platformVersion(), tasksLaunchType);
            TaskDefinition definition = TaskDefinitions.resolve(tx.region(), request.taskDefinition())
                    .filter(d -> TaskDefinitions.ACTIVE.equals(d.statusAsString()))
                    .orElseThrow(() -> EcsException.clientException("TaskDefinition not found."));
            NetworkConfiguration network = TaskNetworks.check(request.networkConfiguration(), definition,
                    tasksLaunchType);
            Instant now = clock.instant();
            String id = Deployments.newId();
            TaskSet taskSet = scaled(FargateServices.onPlatform(TaskSet.builder(), definition, platformVersion)
                    .id(id)
                    .taskSetArn(arn(tx.scope(), located.clusterName(), service.serviceName(), id))
                    .serviceArn(service.serviceArn())
                    .clusterArn(service.clusterArn())
                    .startedBy(request.externalId())
                    .externalId(request.externalId())
                    .status(ACTIVE)
                    .taskDefinition(definition.taskDefinitionArn())
                    .pendingCount(0)
                    .runningCount(0)
                    .createdAt(now)
                    .updatedAt(now)
                    .launchType(launchType)
                    .networkConfiguration(network)
                    .capacityProviderStrategy(strategy.isEmpty() ? null : strategy)
                    .loadBalancers(List.of())
                    .serviceRegistries(List.of())
                    .scale(scale)
                    .stabilityStatus(StabilityStatus.STABILIZING)
                    .stabilityStatusAt(now)
                    .tags(tags)
                    .build(), service.desiredCount());
            List<TaskSet> taskSets = new ArrayList<>(service.taskSets());
            taskSets.add(taskSet);
            tx.put(Services.KIND, located.key(), service.toBuilder().taskSets(taskSets).build());
            return taskSet;
        });
        return CreateTaskSetResponse.builder().taskSet(created).build();
    }

    public UpdateTaskSetResponse updateTaskSet(Caller caller, UpdateTaskSetRequest request) {
        requireNamed(request.service(), "service");
        requireNamed(request.cluster(), "cluster");
        requireNamed(request.taskSet(), "taskSet");
        if (request.scale() == null) {
            throw EcsException.invalidParameter("scale is required.");
        }
        Scale scale = validScale(request.scale());
        TaskSet updated = state.write(caller.scope(), tx -> {
            Located located = locate(tx, request.cluster(), request.service());
            TaskSet taskSet = find(located, request.taskSet());
            TaskSet result = scaled(taskSet.toBuilder().scale(scale).updatedAt(clock.instant()).build(),
                    located.service().desiredCount());
            replace(tx, located, result);
            return result;
        });
        return UpdateTaskSetResponse.builder().taskSet(updated).build();
    }

    public DeleteTaskSetResponse deleteTaskSet(Caller caller, DeleteTaskSetRequest request) {
        requireNamed(request.service(), "service");
        requireNamed(request.cluster(), "cluster");
        requireNamed(request.taskSet(), "taskSet");
        TaskSet deleted = state.write(caller.scope(), tx -> {
            Located located = locate(tx, request.cluster(), request.service());
            TaskSet taskSet = find(located, request.taskSet());
            if (PRIMARY.equals(taskSet.status()) && !Boolean.TRUE.equals(request.force())) {
                throw EcsException.invalidParameter("The primary task set cannot be deleted unless force is set.");
            }
            TaskSet result = taskSet.toBuilder().status(DRAINING).computedDesiredCount(0).updatedAt(clock.instant())
                    .build();
            replace(tx, located, result);
            return result;
        });
        return DeleteTaskSetResponse.builder().taskSet(deleted).build();
    }

    public DescribeTaskSetsResponse describeTaskSets(Caller caller, DescribeTaskSetsRequest request) {
        requireNamed(request.service(), "service");
        requireNamed(request.cluster(), "cluster");
        Region region = state.region(caller.scope());
        Located located = locate(region, request.cluster(), request.service());
        boolean withTags = request.hasInclude() && request.include().contains(TaskSetField.TAGS);
        List<TaskSet> found = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        if (!request.hasTaskSets() || request.taskSets().isEmpty()) {
            located.service().taskSets().forEach(found::add);
        } else {
            for (String ref : request.taskSets()) {
                Optional<TaskSet> taskSet = lookup(located, ref);
                if (taskSet.isPresent()) {
                    found.add(taskSet.get());
                } else {
                    failures.add(Failure.builder().arn(ref).reason("MISSING").build());
                }
            }
        }
        return DescribeTaskSetsResponse.builder()
                .taskSets(found.stream().map(t -> withTags ? t : t.toBuilder().tags((List<Tag>) null).build()).toList())
                .failures(failures)
                .build();
    }

    public UpdateServicePrimaryTaskSetResponse updateServicePrimaryTaskSet(Caller caller,
            UpdateServicePrimaryTaskSetRequest request) {
        requireNamed(request.service(), "service");
        requireNamed(request.cluster(), "cluster");
        requireNamed(request.primaryTaskSet(), "primaryTaskSet");
        TaskSet primary = state.write(caller.scope(), tx -> {
            Located located = locate(tx, request.cluster(), request.service());
            TaskSet chosen = find(located, request.primaryTaskSet());
            if (DRAINING.equals(chosen.status())) {
                throw EcsException.invalidParameter("A draining task set cannot become the primary task set.");
            }
            Instant now = clock.instant();
            List<TaskSet> taskSets = new ArrayList<>();
            TaskSet result = null;
            for (TaskSet taskSet : located.service().taskSets()) {
                if (taskSet.id().equals(chosen.id())) {
                    result = taskSet.toBuilder().status(PRIMARY).updatedAt(now).build();
                    taskSets.add(result);
                } else if (PRIMARY.equals(taskSet.status())) {
                    taskSets.add(taskSet.toBuilder().status(ACTIVE).updatedAt(now).build());
                } else {
                    taskSets.add(taskSet);
                }
            }
            tx.put(Services.KIND, located.key(), located.service().toBuilder().taskSets(taskSets)
                    .taskDefinition(chosen.taskDefinition()).build());
            return result;
        });
        return UpdateServicePrimaryTaskSetResponse.builder().taskSet(primary).build();
    }

    /** The task set with the count of tasks its scale asks of the service's desired count. */
    static TaskSet scaled(TaskSet taskSet, int desiredCount) {
        if (DRAINING.equals(taskSet.status())) {
            return taskSet.toBuilder().computedDesiredCount(0).build();
        }
        double percent = taskSet.scale() == null || taskSet.scale().value() == null ? 100.0 : taskSet.scale().value();
        return taskSet.toBuilder().computedDesiredCount((int) Math.ceil(desiredCount * percent / 100.0)).build();
    }

    static String arn(Scope scope, String clusterName, String serviceName, String taskSetId) {
        return scope.arn("task-set/" + clusterName + "/" + serviceName + "/" + taskSetId);
    }

    /** A service of the EXTERNAL controller found for a request, with where it is stored. */
    private record Located(String clusterName, String key, Service service) {
    }

    private static Located locate(Transaction tx, String clusterRef, String serviceRef) {
        String clusterName = Clusters.requireActive(tx, clusterRef).clusterName();
        Service service = Services.find(tx, clusterName, serviceRef).orElseThrow(EcsException::serviceNotFound);
        return checked(clusterName, service);
    }

    private static Located locate(Region region, String clusterRef, String serviceRef) {
        String clusterName = Clusters.requireActive(region, clusterRef).clusterName();
        Service service = Services.find(region, clusterName, serviceRef).orElseThrow(EcsException::serviceNotFound);
        return checked(clusterName, service);
    }

    private static Located checked(String clusterName, Service service) {
        if (!Services.ACTIVE.equals(service.status())) {
            throw new EcsException("ServiceNotActiveException", 400, "Service was not ACTIVE.");
        }
        if (!EXTERNAL.equals(ServiceRules.controllerType(service.deploymentController()))) {
            throw EcsException.invalidParameter("Task sets can only be used with services that use the EXTERNAL "
                    + "deployment controller.");
        }
        return new Located(clusterName, Services.key(clusterName, service.serviceName()), service);
    }

    /** A task set named by id or ARN. */
    private static Optional<TaskSet> lookup(Located located, String ref) {
        String id = Arns.isArn(ref) && ref.contains(":task-set/")
                ? ref.substring(ref.indexOf(":task-set/") + ":task-set/".length()).replaceFirst("^[^/]+/[^/]+/", "")
                : ref;
        return located.service().taskSets().stream()
                .filter(t -> t.id().equals(id) && (!Arns.isArn(ref) || t.taskSetArn().equals(ref)))
                .findFirst();
    }

    private static TaskSet find(Located located, String ref) {
        return lookup(located, ref).orElseThrow(() -> new EcsException("TaskSetNotFoundException", 400,
                "The specified task set does not exist."));
    }

    private static void replace(Transaction tx, Located located, TaskSet replacement) {
        List<TaskSet> taskSets = located.service().taskSets().stream()
                .map(t -> t.id().equals(replacement.id()) ? replacement : t).toList();
        tx.put(Services.KIND, located.key(), located.service().toBuilder().taskSets(taskSets).build());
    }

    private static Scale validScale(Scale scale) {
        if (scale.value() == null || scale.value() < 0 || scale.value() > 100) {
            throw EcsException.invalidParameter("scale value must be between 0 and 100.");
        }
        if (scale.unitAsString() != null && !"PERCENT".equals(scale.unitAsString())) {
            throw EcsException.invalidParameter("scale unit must be PERCENT.");
        }
        return Scale.builder().value(scale.value()).unit("PERCENT").build();
    }

    private static void requireNamed(String value, String member) {
        if (value == null || value.isEmpty()) {
            throw EcsException.invalidParameter(member + " can not be blank.");
        }
    }
}
