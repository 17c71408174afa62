package io.berth.control.task;

import io.berth.control.Caller;
import io.berth.control.capacity.CapacityProviderStrategies;
import io.berth.control.cluster.Clusters;
import io.berth.control.fargate.FargateCapacity;
import io.berth.control.fargate.FargatePlatform;
import io.berth.control.fargate.FargateTasks;
import io.berth.control.instance.ContainerInstances;
import io.berth.control.placement.InstanceLoad;
import io.berth.control.placement.PlacementRules;
import io.berth.control.placement.PlacementView;
import io.berth.control.placement.Placer;
import io.berth.control.state.State;
import io.berth.model.Arns;
import io.berth.model.EcsException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.StartTaskRequest;
import software.amazon.awssdk.services.ecs.model.StartTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * RunTask and StartTask: place and record tasks in one write of the region, so the tasks of one request and of
 * concurrent requests see each other's claims on the instances.
 */
final class TaskLaunches {

    private static final int MAX_COUNT = 10;
    private static final int MAX_INSTANCES = 10;

    private final State state;
    private final Clock clock;
    private final Supplier<RandomGenerator> random;
    private final LaunchRules rules;
    private final RunTaskTokens tokens = new RunTaskTokens();
    private final NewTasks newTasks;

    TaskLaunches(State state, Clock clock, Supplier<RandomGenerator> random, NewTasks newTasks) {
        this.state = state;
        this.clock = clock;
        this.random = random;
        this.rules = new LaunchRules(state);
        this.newTasks = newTasks;
    }

    RunTaskResponse runTask(Caller caller, RunTaskRequest request) {
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
        RunTaskTokens.validate(token);
        // The strategy decides the launch type: tasks on the FARGATE providers are Fargate tasks.
        List<CapacityProviderStrategyItem> strategy = CapacityProviderStrategies.effective(requestedStrategy,
                request.launchTypeAsString(), Clusters.requireActive(state.region(caller.scope()), request.cluster()));
        String launchType = strategy.isEmpty() ? LaunchRules.launchType(request.launchTypeAsString())
                : FargateCapacity.launchTypeOf(strategy);
        boolean fargate = FargateCapacity.LAUNCH_TYPE.equals(launchType);
        String platformVersion = FargatePlatform.requested(request.platformVersion(), launchType);
        Launch launch = rules.launch(caller.scope(), new LaunchRules.Asked(request.cluster(), request.taskDefinition(),
                request.overrides(), launchType, request.group(), request.startedBy(), request.tags(),
                request.enableECSManagedTags(), request.propagateTagsAsString(), request.networkConfiguration()))
                .onPlatform(platformVersion);
        LaunchRules.refuseUnsupported(request.enableExecuteCommand(),
                request.hasVolumeConfigurations() && !request.volumeConfigurations().isEmpty());
        FargateCapacity.refusePlacementRules(launchType, request.hasPlacementConstraints()
                && !request.placementConstraints().isEmpty(), request.hasPlacementStrategy()
                && !request.placementStrategy().isEmpty());
        PlacementRules placementRules = PlacementRules.of(
                request.hasPlacementConstraints() ? request.placementConstraints() : List.<PlacementConstraint>of(),
                request.hasPlacementStrategy() ? request.placementStrategy() : List.<PlacementStrategy>of(),
                launch.definition().placementConstraints());
        String fingerprint = token == null ? null : tokens.fingerprint(request);
        Placed placed = state.write(caller.scope(), tx -> {
            Cluster cluster = Clusters.requireActive(tx, request.cluster());
            String clusterName = cluster.clusterName();
            Instant now = clock.instant();
            if (token != null) {
                Optional<Placed> earlier = tokens.replay(tx, clusterName, token, fingerprint, now);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            FargateHosts pool = fargate ? FargateHosts.of(tx) : null;
            PlacementView view = fargate ? null : PlacementViews.of(tx, clusterName, placementRules.countsGroups());
            if (!fargate && !view.anyActive()) {
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
                Placer.Decision decision = fargate ? pool.place(launch.demand(), random.get())
                        : provider == null ? view.place(launch.demand(), launch.group(), placementRules, random.get())
                        : view.placeAmong(view.withAttribute(CapacityProviderStrategies.ATTRIBUTE, provider),
                                launch.demand(), launch.group(), placementRules, random.get());
                if (!decision.isPlaced()) {
                    List<Failure> reasons = decision.failures().isEmpty() && provider != null
                            ? List.of(CapacityProviderStrategies.noInstancesIn(tx.scope(), provider))
                            : decision.failures();
                    reasons.forEach(f -> failures.putIfAbsent(f.arn() + " " + f.reason(), f));
                    if (provider == null) {
                        break;
                    }
                    fullProviders.add(provider);
                    continue;
                }
                tasks.add(fargate ? pool.record(newTasks, tx, cluster, decision.chosen(), launch.on(provider), now)
                        : newTasks.record(tx, cluster, view, decision.chosen(), launch.on(provider), now));
            }
            Placed result = new Placed(tasks, List.copyOf(failures.values()));
            if (token != null) {
                tokens.record(tx, clusterName, token, fingerprint, result, now);
            }
            return result;
        });
        return RunTaskResponse.builder().tasks(placed.tasks().stream().map(FargateTasks::shown).toList())
                .failures(placed.failures()).build();
    }

    StartTaskResponse startTask(Caller caller, StartTaskRequest request) {
        if (!request.hasContainerInstances() || request.containerInstances().isEmpty()
                || request.containerInstances().size() > MAX_INSTANCES) {
            throw EcsException.invalidParameter("containerInstances must list between 1 and " + MAX_INSTANCES
                    + " container instances.");
        }
        Launch launch = rules.launch(caller.scope(), new LaunchRules.Asked(request.cluster(), request.taskDefinition(),
                request.overrides(), LaunchType.EC2.toString(), request.group(), request.startedBy(), request.tags(),
                request.enableECSManagedTags(), request.propagateTagsAsString(), request.networkConfiguration()));
        LaunchRules.refuseUnsupported(request.enableExecuteCommand(),
                request.hasVolumeConfigurations() && !request.volumeConfigurations().isEmpty());
        PlacementRules placementRules = PlacementRules.of(List.of(), List.of(),
                launch.definition().placementConstraints());
        Placed placed = state.write(caller.scope(), tx -> {
            Cluster cluster = Clusters.requireActive(tx, request.cluster());
            String clusterName = cluster.clusterName();
            PlacementView view = PlacementViews.of(tx, clusterName, placementRules.countsGroups());
            Instant now = clock.instant();
            List<Task> tasks = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String ref : request.containerInstances()) {
                String arn = Arns.isArn(ref) ? ref : caller.scope().arn("container-instance/" + clusterName + "/" + ref);
                Optional<InstanceLoad> load = ContainerInstances.find(tx, clusterName, ref)
                        .flatMap(instance -> view.find(instance.containerInstanceArn()));
                if (load.isEmpty()) {
                    failures.add(Failure.builder().arn(arn).reason("MISSING").build());
                    continue;
                }
                String status = load.get().instance().status();
                Optional<String> unfit = Placer.ACTIVE.equals(status) || "DRAINING".equals(status)
                        ? Placer.unfit(load.get(), launch.demand(), launch.group(), placementRules)
                        : Optional.of("INACTIVE");
                if (unfit.isPresent()) {
                    failures.add(Failure.builder().arn(arn).reason(unfit.get()).build());
                } else {
                    tasks.add(newTasks.record(tx, cluster, view, load.get(), launch, now));
                }
            }
            return new Placed(tasks, failures);
        });
        return StartTaskResponse.builder().tasks(placed.tasks()).failures(placed.failures()).build();
    }
}
