package io.berth.control.task;

import io.berth.control.Caller;
import io.berth.control.Describe;
import io.berth.control.Operations;
import io.berth.control.Paging;
import io.berth.control.Scope;
import io.berth.control.capacity.CapacityProviderStrategies;
import io.berth.control.cluster.Clusters;
import io.berth.control.instance.ContainerInstances;
import io.berth.control.placement.Claim;
import io.berth.control.placement.Claims;
import io.berth.control.placement.Demand;
import io.berth.control.placement.InstanceLoad;
import io.berth.control.placement.Ledger;
import io.berth.control.placement.PlacementRules;
import io.berth.control.placement.Placer;
import io.berth.control.placement.RemainingIndex;
import io.berth.control.placement.Sizes;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.state.Transaction;
import io.berth.control.tag.Tags;
import io.berth.control.taskdef.TaskDefinitions;
import io.berth.model.Arns;
import io.berth.model.AwsJson;
import io.berth.model.EcsException;
import io.berth.model.Ids;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.ContainerStateChange;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.StartTaskRequest;
import software.amazon.awssdk.services.ecs.model.StartTaskResponse;
import software.amazon.awssdk.services.ecs.model.StopTaskRequest;
import software.amazon.awssdk.services.ecs.model.StopTaskResponse;
import software.amazon.awssdk.services.ecs.model.SubmitAttachmentStateChangesRequest;
import software.amazon.awssdk.services.ecs.model.SubmitAttachmentStateChangesResponse;
import software.amazon.awssdk.services.ecs.model.SubmitContainerStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.SubmitContainerStateChangeResponse;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskField;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

/**
 * Tasks: run, start, stop, describe, list, and the agents' state reports.
 *
 * <p>RunTask and StartTask place and record tasks in one write of the region, so the tasks of one
 * request and of concurrent requests see each other's claims on the instances. A task is created
 * PENDING and only the agent's reports move it further; StopTask sets the desired status and the
 * task stays in its last status until the agent reports STOPPED, which gives its resources back.
 */
public final class TaskService {

    private static final int MAX_COUNT = 10;
    private static final int MAX_INSTANCES = 10;
    private static final int MAX_DESCRIBE = 100;
    private static final int MAX_STARTED_BY = 128;
    private static final int MAX_GROUP = 255;
    private static final int MAX_STOP_REASON = 255;
    private static final int MAX_REPORT_REASON = 1024;
    private static final int MAX_CLIENT_TOKEN = 64;
    private static final String ACK = "ACK";
    private static final int TOKENS_PRUNED_PER_RUN = 4;

    private final State state;
    private final Clock clock;
    private final Supplier<RandomGenerator> random;
    private final AwsJson json = new AwsJson();
    private final TaskRoles roles;

    /** Without role sessions: a task with a role is refused. */
    public TaskService(State state, Clock clock) {
        this(state, clock, new TaskRoles(state, TaskRoles.UNAVAILABLE, clock));
    }

    /** @param roles assumes the roles of the tasks placed */
    public TaskService(State state, Clock clock, TaskRoles roles) {
        this(state, clock, ThreadLocalRandom::current, roles);
    }

    /** With a chosen source of randomness, so that random placement can be repeated in tests. */
    TaskService(State state, Clock clock, Supplier<RandomGenerator> random) {
        this(state, clock, random, new TaskRoles(state, TaskRoles.UNAVAILABLE, clock));
    }

    /** With a chosen source of randomness and role sessions. */
    TaskService(State state, Clock clock, Supplier<RandomGenerator> random, TaskRoles roles) {
        this.state = state;
        this.clock = clock;
        this.random = random;
        this.roles = roles;
    }

    public void addTo(Operations operations) {
        operations.add("RunTask", RunTaskRequest.class, this::runTask);
        operations.add("StartTask", StartTaskRequest.class, this::startTask);
        operations.add("StopTask", StopTaskRequest.class, this::stopTask);
        operations.add("DescribeTasks", DescribeTasksRequest.class, this::describeTasks);
        operations.add("ListTasks", ListTasksRequest.class, this::listTasks);
        operations.add("SubmitTaskStateChange", SubmitTaskStateChangeRequest.class, this::submitTaskStateChange);
        operations.add("SubmitContainerStateChange", SubmitContainerStateChangeRequest.class,
                this::submitContainerStateChange);
        operations.add("SubmitAttachmentStateChanges", SubmitAttachmentStateChangesRequest.class,
                this::submitAttachmentStateChanges);
    }

    /** Everything a new task needs besides where it goes. */
    private record Launch(TaskDefinition definition, TaskOverride overrides, Demand demand, String launchType,
            String group, String startedBy, List<Tag> tags, String capacityProviderName) {

        Launch on(String capacityProvider) {
            return new Launch(definition, overrides, demand, launchType, group, startedBy, tags, capacityProvider);
        }
    }

    public RunTaskResponse runTask(Caller caller, RunTaskRequest request) {
        int count = request.count() == null ? 1 : request.count();
        if (count < 1 || count > MAX_COUNT) {
            throw EcsException.invalidParameter("count must be between 1 and " + MAX_COUNT + ".");
        }
        List<CapacityProviderStrategyItem> requestedStrategy = request.hasCapacityProviderStrategy()
                ? request.capacityProviderStrategy() : List.of();
        if (!requestedStrategy.isEmpty() && request.launchType() != null) {
            throw EcsException.invalidParameter(
                    "Specifying both a launch type and capacity provider strategy is not supported.");
        }
        String token = request.clientToken();
        if (token != null && (token.isEmpty() || token.length() > MAX_CLIENT_TOKEN)) {
            throw EcsException.invalidParameter("clientToken must be between 1 and " + MAX_CLIENT_TOKEN + " characters.");
        }
        String launchType = launchType(request.launchTypeAsString());
        Launch launch = launch(caller.scope(), new Asked(request.cluster(), request.taskDefinition(),
                request.overrides(), launchType, request.group(), request.startedBy(), request.tags(),
                request.enableECSManagedTags(), request.propagateTagsAsString()));
        refuseUnsupported(request.enableExecuteCommand(), request.networkConfiguration(),
                request.hasVolumeConfigurations() && !request.volumeConfigurations().isEmpty());
        PlacementRules rules = PlacementRules.of(
                request.hasPlacementConstraints() ? request.placementConstraints() : List.<PlacementConstraint>of(),
                request.hasPlacementStrategy() ? request.placementStrategy() : List.<PlacementStrategy>of(),
                launch.definition().placementConstraints());
        String fingerprint = token == null ? null : fingerprint(request);
        Placed placed = state.write(caller.scope(), tx -> {
            Cluster cluster = Clusters.requireActive(tx, request.cluster());
            String clusterName = cluster.clusterName();
            Instant now = clock.instant();
            if (token != null) {
                Optional<RunTaskToken> earlier = tx.get(Tasks.CLIENT_TOKENS, clusterName + "/" + token)
                        .filter(t -> !t.expired(now));
                if (earlier.isPresent()) {
                    return replay(tx, clusterName, earlier.get(), fingerprint);
                }
                pruneExpiredTokens(tx, clusterName, token, now);
            }
            List<CapacityProviderStrategyItem> strategy = CapacityProviderStrategies.effective(requestedStrategy,
                    request.launchTypeAsString(), cluster);
            Fleet fleet = fleet(tx, clusterName, rules.countsGroups());
            if (fleet.loads.stream().noneMatch(l -> Placer.ACTIVE.equals(l.instance().status()))) {
                throw EcsException.invalidParameter("No Container Instances were found in your cluster.");
            }
            List<Task> tasks = new ArrayList<>();
            Map<String, Failure> failures = new LinkedHashMap<>();
            Map<String, Integer> perProvider = new HashMap<>();
            Set<String> fullProviders = new HashSet<>();
            for (int i = 0; i < count; i++) {
                String provider = strategy.isEmpty() ? null : CapacityProviderStrategies.next(strategy, perProvider);
                if (provider != null) {
                    // The split counts every task of the request, placed or not, as ECS splits a count.
                    perProvider.merge(provider, 1, Integer::sum);
                    if (fullProviders.contains(provider)) {
                        continue;
                    }
                }
                List<InstanceLoad> candidates = provider == null ? fleet.loads : fleet.ofProvider(provider);
                Placer.Decision decision = Placer.place(candidates, provider == null ? fleet.indexed : null,
                        launch.demand(), launch.group(), rules, random.get());
                if (!decision.isPlaced()) {
                    List<Failure> reasons = decision.failures().isEmpty() && provider != null
                            ? List.of(noInstancesIn(tx.scope(), provider)) : decision.failures();
                    reasons.forEach(f -> failures.putIfAbsent(f.arn() + " " + f.reason(), f));
                    if (provider == null) {
                        break;
                    }
                    fullProviders.add(provider);
                    continue;
                }
                tasks.add(fleet.place(tx, cluster, decision.chosen(), launch.on(provider), now));
            }
            Placed result = new Placed(tasks, List.copyOf(failures.values()));
            if (token != null) {
                tx.put(Tasks.CLIENT_TOKENS, clusterName + "/" + token, new RunTaskToken(token, fingerprint,
                        tasks.stream().map(Task::taskArn).toList(), result.failures(), now));
            }
            return result;
        });
        return RunTaskResponse.builder().tasks(placed.tasks()).failures(placed.failures()).build();
    }

    public StartTaskResponse startTask(Caller caller, StartTaskRequest request) {
        if (!request.hasContainerInstances() || request.containerInstances().isEmpty()
                || request.containerInstances().size() > MAX_INSTANCES) {
            throw EcsException.invalidParameter("containerInstances must list between 1 and " + MAX_INSTANCES
                    + " container instances.");
        }
        Launch launch = launch(caller.scope(), new Asked(request.cluster(), request.taskDefinition(),
                request.overrides(), LaunchType.EC2.toString(), request.group(), request.startedBy(), request.tags(),
                request.enableECSManagedTags(), request.propagateTagsAsString()));
        refuseUnsupported(request.enableExecuteCommand(), request.networkConfiguration(),
                request.hasVolumeConfigurations() && !request.volumeConfigurations().isEmpty());
        PlacementRules rules = PlacementRules.of(List.of(), List.of(), launch.definition().placementConstraints());
        Placed placed = state.write(caller.scope(), tx -> {
            Cluster cluster = Clusters.requireActive(tx, request.cluster());
            String clusterName = cluster.clusterName();
            Fleet fleet = fleet(tx, clusterName, rules.countsGroups());
            Instant now = clock.instant();
            List<Task> tasks = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String ref : request.containerInstances()) {
                String arn = Arns.isArn(ref) ? ref : caller.scope().arn("container-instance/" + clusterName + "/" + ref);
                Optional<InstanceLoad> load = ContainerInstances.find(tx, clusterName, ref)
                        .flatMap(instance -> fleet.find(instance.containerInstanceArn()));
                if (load.isEmpty()) {
                    failures.add(Failure.builder().arn(arn).reason("MISSING").build());
                    continue;
                }
                String status = load.get().instance().status();
                Optional<String> unfit = Placer.ACTIVE.equals(status) || "DRAINING".equals(status)
                        ? Placer.unfit(load.get(), launch.demand(), launch.group(), rules)
                        : Optional.of("INACTIVE");
                if (unfit.isPresent()) {
                    failures.add(Failure.builder().arn(arn).reason(unfit.get()).build());
                } else {
                    tasks.add(fleet.place(tx, cluster, load.get(), launch, now));
                }
            }
            return new Placed(tasks, failures);
        });
        return StartTaskResponse.builder().tasks(placed.tasks()).failures(placed.failures()).build();
    }

    public StopTaskResponse stopTask(Caller caller, StopTaskRequest request) {
        if (request.task() == null || request.task().isEmpty()) {
            throw EcsException.invalidParameter("task can not be blank.");
        }
        if (request.reason() != null && request.reason().length() > MAX_STOP_REASON) {
            throw EcsException.invalidParameter("reason can have at most " + MAX_STOP_REASON + " characters.");
        }
        Task stopped = state.write(caller.scope(), tx -> {
            String clusterName = Clusters.requireActive(tx, request.cluster()).clusterName();
            Task task = Tasks.find(tx.region(), clusterName, request.task())
                    .flatMap(t -> tx.get(Tasks.KIND, key(clusterName, t)))
                    .orElseThrow(() -> EcsException.invalidParameter("The referenced task was not found."));
            Task result = TaskLifecycle.stop(task, request.reason(), clock.instant());
            if (result != task) {
                tx.put(Tasks.KIND, key(clusterName, result), result);
            }
            return result;
        });
        return StopTaskResponse.builder().task(stopped).build();
    }

    public DescribeTasksResponse describeTasks(Caller caller, DescribeTasksRequest request) {
        Region region = state.region(caller.scope());
        String clusterName = Clusters.requireActive(region, request.cluster()).clusterName();
        boolean withTags = request.hasInclude() && request.include().contains(TaskField.TAGS);
        Describe.Result<Task> described = Describe.each(request.hasTasks() ? request.tasks() : null, MAX_DESCRIBE,
                "tasks",
                ref -> Tasks.find(region, clusterName, ref)
                        .map(task -> withTags ? task : task.toBuilder().tags((List<Tag>) null).build()),
                ref -> caller.scope().arn("task/" + clusterName + "/" + ref));
        return DescribeTasksResponse.builder().tasks(described.found()).failures(described.failures()).build();
    }

    public ListTasksResponse listTasks(Caller caller, ListTasksRequest request) {
        Region region = state.region(caller.scope());
        String clusterName = Clusters.requireActive(region, request.cluster()).clusterName();
        String desired = request.desiredStatusAsString() == null ? Tasks.RUNNING : request.desiredStatusAsString();
        if (!List.of(Tasks.RUNNING, Tasks.PENDING, Tasks.STOPPED).contains(desired)) {
            throw EcsException.invalidParameter("desiredStatus must be one of RUNNING, PENDING, STOPPED.");
        }
        String launchType = request.launchTypeAsString();
        if (launchType != null && !List.of("EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES").contains(launchType)) {
            throw EcsException.invalidParameter("Invalid launchType: " + launchType);
        }
        String instanceArn = request.containerInstance() == null ? null
                : Arns.isArn(request.containerInstance()) ? request.containerInstance()
                : caller.scope().arn("container-instance/" + clusterName + "/" + request.containerInstance());
        String familyPrefix = request.family() == null ? null : caller.scope().arn("task-definition/" + request.family() + ":");
        String serviceGroup = request.serviceName() == null ? null : "service:" + Arns.lastSegment(request.serviceName());
        // Read from just after the token and stop once the page is full, rather than filtering the
        // whole cluster's history for every page.
        String after = Paging.decode(request.nextToken());
        var candidates = region.withPrefixAfter(Tasks.KIND, clusterName + "/",
                after == null ? null : clusterName + "/" + after);
        Iterable<Task> matching = () -> candidates.stream()
                .filter(t -> desired.equals(t.desiredStatus()))
                .filter(t -> instanceArn == null || instanceArn.equals(t.containerInstanceArn()))
                .filter(t -> familyPrefix == null || t.taskDefinitionArn().startsWith(familyPrefix))
                .filter(t -> request.startedBy() == null || request.startedBy().equals(t.startedBy()))
                .filter(t -> serviceGroup == null || serviceGroup.equals(t.group()))
                .filter(t -> launchType == null || launchType.equals(t.launchTypeAsString()))
                .iterator();
        Paging.Page<Task> page = Paging.page(matching, t -> Tasks.idOf(t.taskArn()), request.maxResults(),
                request.nextToken(), 100, 100);
        return ListTasksResponse.builder()
                .taskArns(page.items().stream().map(Task::taskArn).toList())
                .nextToken(page.nextToken())
                .build();
    }

    public SubmitTaskStateChangeResponse submitTaskStateChange(Caller caller, SubmitTaskStateChangeRequest request) {
        if (request.status() != null && !TaskLifecycle.isTaskStatus(request.status())) {
            throw EcsException.invalidParameter("status must be one of PENDING, RUNNING, STOPPED.");
        }
        // A long reason is cut rather than refused: the agent drops a refused report, and a lost
        // STOPPED would keep the task's resources claimed.
        String reason = request.reason() != null && request.reason().length() > MAX_REPORT_REASON
                ? request.reason().substring(0, MAX_REPORT_REASON) : request.reason();
        TaskLifecycle.Report report = new TaskLifecycle.Report(request.status(), reason,
                request.hasContainers() ? request.containers() : List.of(), request.pullStartedAt(),
                request.pullStoppedAt(), request.executionStoppedAt(),
                request.hasAttachments() ? request.attachments() : List.of());
        applyReport(caller.scope(), request.cluster(), request.task(), report);
        return SubmitTaskStateChangeResponse.builder().acknowledgment(ACK).build();
    }

    public SubmitContainerStateChangeResponse submitContainerStateChange(Caller caller,
            SubmitContainerStateChangeRequest request) {
        if (request.containerName() == null || request.containerName().isEmpty()) {
            throw EcsException.invalidParameter("containerName can not be blank.");
        }
        if (request.status() != null && !TaskLifecycle.isContainerStatus(request.status())) {
            throw EcsException.invalidParameter("status must be one of PENDING, RUNNING, STOPPED.");
        }
        ContainerStateChange change = ContainerStateChange.builder()
                .containerName(request.containerName())
                .runtimeId(request.runtimeId())
                .status(request.status())
                .exitCode(request.exitCode())
                .reason(request.reason())
                .networkBindings(request.hasNetworkBindings() ? request.networkBindings() : List.of())
                .build();
        applyReport(caller.scope(), request.cluster(), request.task(),
                new TaskLifecycle.Report(null, null, List.of(change), null, null, null, List.of()));
        return SubmitContainerStateChangeResponse.builder().acknowledgment(ACK).build();
    }

    /**
     * Instance-level attachments (ENIs, volumes) are not modelled yet and no task carries an
     * attachment, so there is nothing to record; the report is acknowledged so the agent stops
     * resending it.
     */
    public SubmitAttachmentStateChangesResponse submitAttachmentStateChanges(Caller caller,
            SubmitAttachmentStateChangesRequest request) {
        if (!request.hasAttachments() || request.attachments().isEmpty()) {
            throw EcsException.invalidParameter("attachments can not be empty.");
        }
        return SubmitAttachmentStateChangesResponse.builder().acknowledgment(ACK).build();
    }

    private void applyReport(Scope scope, String clusterRef, String taskRef, TaskLifecycle.Report report) {
        if (taskRef == null || taskRef.isEmpty()) {
            throw EcsException.invalidParameter("task can not be blank.");
        }
        String clusterName = Tasks.clusterOf(scope, taskRef).or(() -> Clusters.nameOf(scope, clusterRef))
                .orElseThrow(() -> EcsException.invalidParameter("The referenced task was not found."));
        Region region = state.region(scope);
        Set<String> essential = Tasks.find(region, clusterName, taskRef)
                .flatMap(task -> TaskDefinitions.resolve(region, task.taskDefinitionArn()))
                .map(TaskService::essentialContainers)
                .orElse(null);
        state.write(scope, tx -> {
            Task task = Tasks.find(tx.region(), clusterName, taskRef)
                    .flatMap(t -> tx.get(Tasks.KIND, key(clusterName, t)))
                    .orElseThrow(() -> EcsException.invalidParameter("The referenced task was not found."));
            // Without its definition every container counts as essential, as ECS assumes by default.
            Set<String> essentialNames = essential != null ? essential
                    : task.containers().stream().map(Container::name).collect(Collectors.toSet());
            Task updated = TaskLifecycle.report(task, report, essentialNames, clock.instant());
            if (updated == task) {
                return null;
            }
            tx.put(Tasks.KIND, key(clusterName, updated), updated);
            if (Tasks.STOPPED.equals(updated.lastStatus()) && !Tasks.STOPPED.equals(task.lastStatus())) {
                release(tx, clusterName, updated);
            }
            return null;
        });
    }

    /**
     * The health of a task's containers as its agent last published it over telemetry
     * (HEALTHY, UNHEALTHY or UNKNOWN, only for containers with health checks). The task is
     * UNHEALTHY when an essential container is, HEALTHY when every essential container with a
     * health check is, UNKNOWN otherwise. A report for an unknown or stopped task changes nothing.
     */
    public void recordHealth(Scope scope, String taskArn, Map<String, String> containerHealth) {
        Optional<String> clusterName = Tasks.clusterOf(scope, taskArn);
        if (clusterName.isEmpty()) {
            return;
        }
        Region region = state.region(scope);
        Set<String> essential = Tasks.find(region, clusterName.get(), taskArn)
                .flatMap(task -> TaskDefinitions.resolve(region, task.taskDefinitionArn()))
                .map(TaskService::essentialContainers)
                .orElse(Set.of());
        state.write(scope, tx -> {
            Optional<Task> found = Tasks.find(tx.region(), clusterName.get(), taskArn);
            if (found.isEmpty() || Tasks.STOPPED.equals(found.get().lastStatus())) {
                return null;
            }
            Task task = found.get();
            List<Container> containers = new ArrayList<>();
            for (Container container : task.containers()) {
                String status = containerHealth.get(container.name());
                containers.add(status == null || !List.of("HEALTHY", "UNHEALTHY", "UNKNOWN").contains(status)
                        ? container : container.toBuilder().healthStatus(status).build());
            }
            List<String> checked = containers.stream()
                    .filter(c -> essential.contains(c.name()) && c.healthStatus() != null)
                    .map(Container::healthStatusAsString).toList();
            String taskHealth = checked.contains("UNHEALTHY") ? "UNHEALTHY"
                    : !checked.isEmpty() && checked.stream().allMatch("HEALTHY"::equals) ? "HEALTHY" : "UNKNOWN";
            Task updated = task.toBuilder().containers(containers).healthStatus(taskHealth).build();
            if (!updated.equals(task)) {
                tx.put(Tasks.KIND, key(clusterName.get(), task),
                        updated.toBuilder().version(task.version() + 1).build());
            }
            return null;
        });
    }

    /** Gives a stopped task's claim back to its instance; the claim is deleted, so this happens once. */
    private static void release(Transaction tx, String clusterName, Task task) {
        String taskKey = key(clusterName, task);
        Optional<Claim> claim = tx.get(Claims.KIND, taskKey);
        if (claim.isEmpty()) {
            return;
        }
        tx.delete(Claims.KIND, taskKey);
        String instanceKey = ContainerInstances.key(clusterName, Arns.lastSegment(claim.get().containerInstanceArn()));
        tx.get(ContainerInstances.KIND, instanceKey).ifPresent(instance ->
                tx.put(ContainerInstances.KIND, instanceKey, Ledger.release(instance, claim.get())));
    }

    private static Set<String> essentialContainers(TaskDefinition definition) {
        return definition.containerDefinitions().stream()
                .filter(c -> c.essential() == null || c.essential())
                .map(ContainerDefinition::name)
                .collect(Collectors.toSet());
    }

    private static String key(String clusterName, Task task) {
        return Tasks.key(clusterName, Tasks.idOf(task.taskArn()));
    }

    /**
     * What a service scheduler asks of its tasks: the revision, the service's placement rules, and
     * how its tasks are marked ({@code group} {@code service:<name>}, {@code startedBy} the
     * deployment id).
     */
    public record ServiceLaunch(TaskDefinition definition, PlacementRules rules, String launchType, String group,
            String startedBy, List<Tag> tags, List<CapacityProviderStrategyItem> capacityProviderStrategy) {
    }

    /**
     * Places tasks for a service scheduler inside its own write, over one view of the cluster's
     * instances that follows the tasks placed through it, as RunTask does for its count. The view
     * counts each instance's tasks by group only when the launch's rules need it, as RunTask's does:
     * binpack then starts from the fullest instances instead of comparing every one for every task.
     */
    public ServicePlacements servicePlacements(Transaction tx, Cluster cluster, ServiceLaunch launch) {
        boolean countGroups = launch.rules().countsGroups();
        return new ServicePlacements(tx, cluster, fleet(tx, cluster.clusterName(), countGroups), countGroups);
    }

    /** See {@link #servicePlacements}. */
    public final class ServicePlacements {

        private final Transaction tx;
        private final Cluster cluster;
        private final Fleet fleet;
        private final boolean groupsCounted;
        private final Map<String, Map<String, Integer>> providerCounts = new HashMap<>();

        private ServicePlacements(Transaction tx, Cluster cluster, Fleet fleet, boolean groupsCounted) {
            this.tx = tx;
            this.cluster = cluster;
            this.fleet = fleet;
            this.groupsCounted = groupsCounted;
        }

        /**
         * One task on the ACTIVE instance the rules choose, or the failures of every instance. With a
         * capacity provider strategy, the service's live tasks per provider decide the provider, and
         * only its instances are candidates.
         */
        public Placer.Decision place(ServiceLaunch launch) {
            if (launch.rules().countsGroups() && !groupsCounted) {
                throw new IllegalArgumentException("These placements were made for rules that count no groups");
            }
            Launch asLaunch = asLaunch(launch);
            List<InstanceLoad> candidates = fleet.loads;
            if (!launch.capacityProviderStrategy().isEmpty()) {
                String provider = CapacityProviderStrategies.next(launch.capacityProviderStrategy(),
                        tasksPerProvider(launch.group()));
                candidates = fleet.ofProvider(provider);
                if (candidates.isEmpty()) {
                    return new Placer.Decision(null, List.of(noInstancesIn(tx.scope(), provider)));
                }
            }
            return Placer.place(candidates, candidates == fleet.loads ? fleet.indexed : null, asLaunch.demand(),
                    launch.group(), launch.rules(), random.get());
        }

        /** Records the task a decision chose and claims its resources. */
        public Task record(Placer.Decision decision, ServiceLaunch launch) {
            return recordOn(decision.chosen(), launch);
        }

        private Task recordOn(InstanceLoad load, ServiceLaunch launch) {
            String provider = launch.capacityProviderStrategy().isEmpty() ? null
                    : load.attribute(CapacityProviderStrategies.ATTRIBUTE);
            if (provider != null) {
                tasksPerProvider(launch.group()).merge(provider, 1, Integer::sum);
            }
            return fleet.place(tx, cluster, load, asLaunch(launch).on(provider), clock.instant());
        }

        /** The live tasks of a group by capacity provider, worked out once per group and kept up to date. */
        private Map<String, Integer> tasksPerProvider(String group) {
            return providerCounts.computeIfAbsent(group, g -> {
                Map<String, Integer> counts = new HashMap<>();
                for (Task task : tx.region().withPrefix(Tasks.KIND, cluster.clusterName() + "/")) {
                    if (g.equals(task.group()) && task.capacityProviderName() != null
                            && !Tasks.STOPPED.equals(task.lastStatus()) && !Tasks.STOPPED.equals(task.desiredStatus())) {
                        counts.merge(task.capacityProviderName(), 1, Integer::sum);
                    }
                }
                return counts;
            });
        }

        /** Why one instance cannot take the task (empty if it can), as placement judges it. */
        public Optional<String> unfit(String containerInstanceArn, ServiceLaunch launch) {
            Optional<InstanceLoad> load = fleet.find(containerInstanceArn);
            if (load.isEmpty() || !Placer.ACTIVE.equals(load.get().instance().status())) {
                return Optional.of("INACTIVE");
            }
            return Placer.unfit(load.get(), asLaunch(launch).demand(), launch.group(), launch.rules());
        }

        /** Records a task on the given instance, which {@link #unfit} accepted. */
        public Task placeOn(String containerInstanceArn, ServiceLaunch launch) {
            return recordOn(fleet.find(containerInstanceArn).orElseThrow(), launch);
        }

        private Launch asLaunch(ServiceLaunch launch) {
            return new Launch(launch.definition(), null, Demand.of(launch.definition(), null), launch.launchType(),
                    launch.group(), launch.startedBy(), launch.tags(), null);
        }
    }

    /**
     * A service scheduler wants the task stopped (stop code {@code ServiceSchedulerInitiated});
     * as with StopTask the agent's report ends it.
     */
    public Task stopForService(Transaction tx, String clusterName, Task task, String reason) {
        Task stopped = TaskLifecycle.stop(task, reason, clock.instant()).toBuilder()
                .stopCode(software.amazon.awssdk.services.ecs.model.TaskStopCode.SERVICE_SCHEDULER_INITIATED)
                .build();
        if (Tasks.STOPPED.equals(task.desiredStatus())) {
            return task;
        }
        tx.put(Tasks.KIND, key(clusterName, stopped), stopped);
        return stopped;
    }

    /** Tasks created (or replayed) and the failures of one RunTask or StartTask. */
    private record Placed(List<Task> tasks, List<Failure> failures) {
    }

    private Placed replay(Transaction tx, String clusterName, RunTaskToken earlier, String fingerprint) {
        if (!earlier.fingerprint().equals(fingerprint)) {
            throw new EcsException("ConflictException", 400, "The clientToken is already in use with a different "
                    + "RunTask request. Tasks of that request: " + String.join(", ", earlier.taskArns()));
        }
        List<Task> tasks = earlier.taskArns().stream()
                .flatMap(arn -> tx.get(Tasks.KIND, Tasks.key(clusterName, Tasks.idOf(arn))).stream())
                .toList();
        return new Placed(tasks, earlier.failures());
    }

    /**
     * Deletes a few expired tokens that sort after the new one. Tokens are mostly random, so each
     * RunTask looks at a different stretch and the expired ones go away at the rate new ones come,
     * without scanning them all.
     */
    private static void pruneExpiredTokens(Transaction tx, String clusterName, String token, Instant now) {
        String prefix = clusterName + "/";
        int looked = 0;
        for (RunTaskToken candidate : tx.region().withPrefixAfter(Tasks.CLIENT_TOKENS, prefix, prefix + token)) {
            if (++looked > TOKENS_PRUNED_PER_RUN) {
                return;
            }
            if (candidate.expired(now)) {
                tx.delete(Tasks.CLIENT_TOKENS, prefix + candidate.token());
            }
        }
    }

    private String fingerprint(RunTaskRequest request) {
        // Not null: the SDK fills an absent idempotency token with a fresh random one when written.
        byte[] canonical = json.writeBytes(request.toBuilder().clientToken("").build());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String launchType(String requested) {
        if (requested == null || "EC2".equals(requested) || "EXTERNAL".equals(requested)) {
            return requested == null ? "EC2" : requested;
        }
        if ("FARGATE".equals(requested)) {
            throw EcsException.unsupportedFeature("The FARGATE launch type is not available here: "
                    + "tasks run on registered container instances, with launchType EC2 or EXTERNAL.");
        }
        throw EcsException.invalidParameter("Invalid launchType: " + requested
                + ". Tasks run with launchType EC2 or EXTERNAL.");
    }

    /** What RunTask and StartTask share of a request. */
    private record Asked(String cluster, String taskDefinition, TaskOverride overrides, String launchType,
            String group, String startedBy, List<Tag> tags, Boolean managedTags, String propagateTags) {
    }

    /** Validates what RunTask and StartTask share and works out the task's demand and tags. */
    private Launch launch(Scope scope, Asked asked) {
        String taskDefinitionRef = asked.taskDefinition();
        TaskOverride overrides = asked.overrides();
        String launchType = asked.launchType();
        String group = asked.group();
        String startedBy = asked.startedBy();
        if (taskDefinitionRef == null || taskDefinitionRef.isEmpty()) {
            throw EcsException.invalidParameter("taskDefinition can not be blank.");
        }
        if (startedBy != null && startedBy.length() > MAX_STARTED_BY) {
            throw EcsException.invalidParameter("startedBy can have at most " + MAX_STARTED_BY + " characters.");
        }
        if (group != null && (group.isEmpty() || group.length() > MAX_GROUP)) {
            throw EcsException.invalidParameter("group must be between 1 and " + MAX_GROUP + " characters.");
        }
        List<Tag> requestTags = Tags.validate(asked.tags() == null || asked.tags().isEmpty() ? null : asked.tags());
        String propagate = asked.propagateTags();
        if (propagate != null && !List.of("TASK_DEFINITION", "SERVICE", "NONE").contains(propagate)) {
            throw EcsException.invalidParameter("propagateTags must be one of TASK_DEFINITION, SERVICE, NONE.");
        }
        Region region = state.region(scope);
        String clusterName = Clusters.requireActive(region, asked.cluster()).clusterName();
        TaskDefinition definition = TaskDefinitions.resolve(region, taskDefinitionRef)
                .orElseThrow(() -> EcsException.clientException("TaskDefinition not found."));
        if (!TaskDefinitions.ACTIVE.equals(definition.statusAsString())) {
            throw EcsException.clientException("TaskDefinition is inactive");
        }
        if (!definition.requiresCompatibilitiesAsStrings().isEmpty()
                && !definition.requiresCompatibilitiesAsStrings().contains(launchType)) {
            throw EcsException.invalidParameter("Task definition does not support launch_type " + launchType + ".");
        }
        if ("awsvpc".equals(definition.networkModeAsString())) {
            throw EcsException.unsupportedFeature(
                    "Tasks with the awsvpc network mode are not supported here; use bridge, host or none.");
        }
        validateOverrides(definition, overrides);
        // SERVICE propagates a service's tags, and a standalone task has no service: nothing to add.
        List<Tag> validTags = new ArrayList<>("TASK_DEFINITION".equals(propagate)
                ? Tags.merge(TaskDefinitions.tags(region, definition), requestTags) : requestTags);
        if (Boolean.TRUE.equals(asked.managedTags())) {
            validTags.add(Tag.builder().key("aws:ecs:clusterName").value(clusterName).build());
        }
        return new Launch(definition, overrides, Demand.of(definition, overrides), launchType,
                group != null ? group : "family:" + definition.family(), startedBy, List.copyOf(validTags), null);
    }

    /** Why a task of a capacity provider could not be placed when no ACTIVE instance belongs to it. */
    private static Failure noInstancesIn(Scope scope, String provider) {
        return Failure.builder().arn(scope.arn("capacity-provider/" + provider)).reason("MISSING")
                .detail("No ACTIVE container instances have the attribute " + CapacityProviderStrategies.ATTRIBUTE
                        + "=" + provider + ".")
                .build();
    }

    /** Features a task could ask for that nothing here provides: refused rather than silently dropped. */
    private static void refuseUnsupported(Boolean executeCommand, NetworkConfiguration network,
            boolean volumes) {
        if (Boolean.TRUE.equals(executeCommand)) {
            throw EcsException.unsupportedFeature("ECS Exec (enableExecuteCommand) is not supported here.");
        }
        if (network != null) {
            throw EcsException.invalidParameter("Network Configuration is not valid for the given networkMode "
                    + "of this task definition.");
        }
        if (volumes) {
            throw EcsException.unsupportedFeature("Volume configurations (managed EBS volumes) are not supported here.");
        }
    }

    private static void validateOverrides(TaskDefinition definition, TaskOverride overrides) {
        if (overrides == null) {
            return;
        }
        Set<String> names = definition.containerDefinitions().stream().map(ContainerDefinition::name)
                .collect(Collectors.toSet());
        for (ContainerOverride override : overrides.containerOverrides()) {
            if (override.name() == null || !names.contains(override.name())) {
                throw EcsException.invalidParameter("Override for container named " + override.name()
                        + " is not a container in the TaskDefinition.");
            }
            for (Integer size : java.util.Arrays.asList(override.cpu(), override.memory(), override.memoryReservation())) {
                if (size != null && size < 0) {
                    throw EcsException.invalidParameter("Container overrides cannot have negative sizes.");
                }
            }
            if (override.memory() != null && override.memoryReservation() != null
                    && override.memoryReservation() > override.memory()) {
                throw EcsException.invalidParameter("The memoryReservation of container " + override.name()
                        + " must be less than its memory.");
            }
        }
        if (overrides.cpu() != null) {
            Sizes.cpuUnits(overrides.cpu());
        }
        if (overrides.memory() != null) {
            Sizes.memoryMiB(overrides.memory());
        }
    }

    /**
     * The instances of a cluster as placement sees them, updated as this write places tasks; with
     * {@code countGroups}, each instance's live tasks counted by group.
     */
    private Fleet fleet(Transaction tx, String clusterName, boolean countGroups) {
        ClusterInstanceLoads view = ClusterInstanceLoads.of(tx.region());
        LiveTaskGroups live = LiveTaskGroups.of(tx.region());
        Map<String, Map<String, Integer>> groups = countGroups ? live.of(clusterName) : Map.of();
        Fleet fleet;
        if (countGroups && groups.size() > view.size(clusterName) / 4) {
            // Most instances run tasks, so most differ from the remaining-resources index anyway: start from the
            // view's counted list, kept between writes, rather than count every instance's tasks here.
            fleet = new Fleet(clusterName, view.countedCopyOf(clusterName, live), null);
        } else {
            fleet = new Fleet(clusterName, view.copyOf(clusterName), view.byRemaining(clusterName));
            List<InstanceLoad> loads = fleet.loads;
            for (int i = 0; i < loads.size() && !groups.isEmpty(); i++) {
                Map<String, Integer> counted = groups.get(loads.get(i).instance().containerInstanceArn());
                if (counted != null) {
                    fleet.replace(i, loads.get(i).withGroups(counted));
                }
            }
        }
        if (tx.touches(ContainerInstances.KIND)) {
            // This write has already changed some instances: placement must see them as changed.
            List<InstanceLoad> loads = fleet.loads;
            for (int i = 0; i < loads.size(); i++) {
                ContainerInstance stored = loads.get(i).instance();
                ContainerInstance instance = tx.get(ContainerInstances.KIND,
                        ContainerInstances.key(clusterName, ContainerInstances.idOf(stored))).orElse(stored);
                if (instance != stored) {
                    fleet.replace(i, new InstanceLoad(instance,
                            groups.getOrDefault(instance.containerInstanceArn(), Map.of())));
                }
            }
        }
        return fleet;
    }

    private final class Fleet {

        private final String clusterName;
        private final List<InstanceLoad> loads;
        /**
         * The committed instances by what remains of them, and how {@link #loads} differs from them; null when
         * {@link #loads} does not start from the index's views.
         */
        private final Placer.Indexed indexed;

        Fleet(String clusterName, List<InstanceLoad> loads, RemainingIndex committed) {
            this.clusterName = clusterName;
            this.loads = loads;
            this.indexed = committed == null ? null : new Placer.Indexed(committed, identitySet(), identitySet());
        }

        private static Set<InstanceLoad> identitySet() {
            return Collections.newSetFromMap(new IdentityHashMap<>());
        }

        /** Puts a new view of an instance in place of the one at {@code index}, for placement to see. */
        void replace(int index, InstanceLoad load) {
            InstanceLoad before = loads.set(index, load);
            if (indexed == null) {
                return;
            }
            if (!indexed.replacements().remove(before)) {
                indexed.replaced().add(before);
            }
            indexed.replacements().add(load);
        }

        /** The instances of a capacity provider: those whose attribute names it. */
        List<InstanceLoad> ofProvider(String provider) {
            return loads.stream().filter(l -> provider.equals(l.attribute(CapacityProviderStrategies.ATTRIBUTE)))
                    .toList();
        }

        Optional<InstanceLoad> find(String instanceArn) {
            return loads.stream().filter(l -> instanceArn.equals(l.instance().containerInstanceArn())).findFirst();
        }

        /** Where the instance is in {@link #loads}, -1 if nowhere; usually the very view placement chose. */
        private int indexOf(InstanceLoad load) {
            for (int i = 0; i < loads.size(); i++) {
                if (loads.get(i) == load) {
                    return i;
                }
            }
            String arn = load.instance().containerInstanceArn();
            for (int i = 0; i < loads.size(); i++) {
                if (loads.get(i).instance().containerInstanceArn().equals(arn)) {
                    return i;
                }
            }
            return -1;
        }

        /** Records a new task on the instance and claims its resources, in the same write. */
        Task place(Transaction tx, Cluster cluster, InstanceLoad load, Launch launch, Instant now) {
            ContainerInstance instance = load.instance();
            Task task = newTask(tx.scope(), cluster, instance, load.attribute("ecs.availability-zone"), launch, now);
            String taskKey = key(clusterName, task);
            // Before anything is written: a role that cannot be assumed refuses the launch.
            roles.issue(tx, taskKey, task, launch.definition());
            Claim claim = Claim.of(instance.containerInstanceArn(), launch.demand());
            ContainerInstance claimed = Ledger.claim(instance, claim);
            tx.put(ContainerInstances.KIND, ContainerInstances.key(clusterName, ContainerInstances.idOf(instance)), claimed);
            Map<String, Integer> groups = new HashMap<>(load.tasksByGroup());
            groups.merge(launch.group(), 1, Integer::sum);
            InstanceLoad placed = new InstanceLoad(claimed, groups);
            int index = indexOf(load);
            if (index >= 0) {
                replace(index, placed);
            }

            tx.put(Tasks.KIND, taskKey, task);
            tx.put(Claims.KIND, taskKey, claim);
            return task;
        }
    }

    private static Task newTask(Scope scope, Cluster cluster, ContainerInstance instance, String az, Launch launch,
            Instant now) {
        String clusterName = cluster.clusterName();
        String taskId = Tasks.newId(now);
        String taskArn = scope.arn("task/" + clusterName + "/" + taskId);
        TaskDefinition definition = launch.definition();
        Map<String, ContainerOverride> overrides = Demand.containerOverrides(launch.overrides());
        List<Container> containers = new ArrayList<>();
        List<ContainerOverride> echoed = new ArrayList<>();
        for (ContainerDefinition container : definition.containerDefinitions()) {
            ContainerOverride override = overrides.get(container.name());
            Integer cpu = override != null && override.cpu() != null ? override.cpu() : container.cpu();
            Integer memory = override != null && override.memory() != null ? override.memory() : container.memory();
            Integer reservation = override != null && override.memoryReservation() != null
                    ? override.memoryReservation() : container.memoryReservation();
            containers.add(Container.builder()
                    .containerArn(scope.arn("container/" + clusterName + "/" + taskId + "/" + Ids.uuid()))
                    .taskArn(taskArn)
                    .name(container.name())
                    .image(container.image())
                    .lastStatus(Tasks.PENDING)
                    .cpu(String.valueOf(cpu == null ? 0 : cpu))
                    .memory(memory == null ? null : String.valueOf(memory))
                    .memoryReservation(reservation == null ? null : String.valueOf(reservation))
                    .networkBindings(List.of())
                    .networkInterfaces(List.of())
                    .build());
            echoed.add(override != null ? override : ContainerOverride.builder().name(container.name()).build());
        }
        TaskOverride.Builder taskOverride = launch.overrides() == null ? TaskOverride.builder()
                : launch.overrides().toBuilder();
        return Task.builder()
                .taskArn(taskArn)
                .clusterArn(cluster.clusterArn())
                .taskDefinitionArn(definition.taskDefinitionArn())
                .containerInstanceArn(instance.containerInstanceArn())
                .overrides(taskOverride.containerOverrides(echoed).inferenceAcceleratorOverrides(List.of()).build())
                .lastStatus(Tasks.PENDING)
                .desiredStatus(Tasks.RUNNING)
                .createdAt(now)
                .launchType(launch.launchType())
                .capacityProviderName(launch.capacityProviderName())
                .version(1L)
                .cpu(String.valueOf(launch.demand().cpu()))
                .memory(String.valueOf(launch.demand().memory()))
                .containers(containers)
                .attachments(List.of())
                .group(launch.group())
                .startedBy(launch.startedBy())
                .tags(launch.tags())
                .availabilityZone(az == null || az.isEmpty() ? null : az)
                .enableExecuteCommand(false)
                .build();
    }
}
