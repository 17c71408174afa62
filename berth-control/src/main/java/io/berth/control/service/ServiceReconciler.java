package io.berth.control.service;

import io.berth.control.Scope;
import io.berth.control.cluster.Clusters;
import io.berth.control.instance.ContainerInstances;
import io.berth.control.placement.PlacementRules;
import io.berth.control.placement.Placer;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.state.Transaction;
import io.berth.control.task.ServiceLaunch;
import io.berth.control.task.ServicePlacements;
import io.berth.control.task.TaskService;
import io.berth.control.task.Tasks;
import io.berth.control.task.TasksByGroup;
import io.berth.control.taskdef.TaskDefinitions;
import io.berth.model.EcsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.Rollback;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentRollbackMonitorsStatus;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;
import software.amazon.awssdk.services.ecs.model.ServiceRevisionSummary;
import software.amazon.awssdk.services.ecs.model.StabilityStatus;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskSet;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * The service scheduler's one step: for each service, compare what runs with what is wanted and
 * start or stop tasks, within the deployment's bounds, in one write of the service's region.
 *
 * <p>A REPLICA service wants {@code desiredCount} tasks of its PRIMARY deployment on ACTIVE
 * instances. Tasks of older deployments and tasks on DRAINING instances are replaced: new tasks
 * start while the service stays at or below {@code maximumPercent} of the desired count (tasks
 * still RUNNING or PENDING, stopping ones included), and replaced tasks stop while at least
 * {@code minimumHealthyPercent} stay healthy. A DAEMON service wants one task on each ACTIVE
 * instance that can take it. Every decision reads the tasks as the agents last reported them, so a
 * step may run any number of times: it changes nothing once the service is where it should be.
 */
public final class ServiceReconciler {

    private static final Logger log = LoggerFactory.getLogger(ServiceReconciler.class);

    /** Failures to start in a row after which launches wait, doubling from {@link #FIRST_DELAY}. */
    static final int THROTTLE_AFTER = 3;
    static final Duration FIRST_DELAY = Duration.ofSeconds(10);
    static final Duration MAX_DELAY = Duration.ofMinutes(15);

    private final State state;
    private final Clock clock;
    private final TaskService tasks;

    public ServiceReconciler(State state, Clock clock, TaskService tasks) {
        this.state = state;
        this.clock = clock;
        this.tasks = tasks;
    }

    /** One step for every service of every scope. */
    public void reconcileAll() {
        for (Scope scope : state.scopes()) {
            reconcile(scope);
        }
    }

    /** One step for every service of the scope that is not INACTIVE; one service's failure spares the others. */
    public void reconcile(Scope scope) {
        Region region = state.region(scope);
        List<String> keys = region.all(Services.KIND).stream()
                .filter(s -> !Services.INACTIVE.equals(s.status()))
                .map(s -> Services.key(Clusters.nameOf(scope, s.clusterArn()).orElse(""), s.serviceName()))
                .toList();
        for (String key : keys) {
            try {
                state.write(scope, tx -> {
                    step(tx, key);
                    return null;
                });
            } catch (RuntimeException e) {
                log.warn("Scheduling service {} in {} failed", key, scope.key(), e);
            }
        }
    }

    /** The tasks of one service, read once per step. */
    private record Fleet(List<Task> tasks, Set<String> drainingInstances, Set<String> activeInstances) {
    }

    private void step(Transaction tx, String key) {
        Service service = tx.get(Services.KIND, key).orElse(null);
        if (service == null || Services.INACTIVE.equals(service.status())) {
            return;
        }
        String clusterName = key.substring(0, key.indexOf('/'));
        Cluster cluster = tx.get(Clusters.KIND, clusterName).filter(c -> Clusters.ACTIVE.equals(c.status())).orElse(null);
        if (cluster == null) {
            return;
        }
        Fleet fleet = fleet(tx.region(), clusterName, service);
        Step step = new Step(tx, cluster, service, fleet, clock.instant());
        if (TaskSetService.EXTERNAL.equals(ServiceService.controllerType(service.deploymentController()))) {
            step.external();
            return;
        }
        if (Deployments.primaryOf(service).isEmpty()) {
            return;
        }
        if ("DAEMON".equals(service.schedulingStrategyAsString())) {
            step.daemon();
        } else {
            step.replica();
        }
        step.finish();
    }

    private static Fleet fleet(Region region, String clusterName, Service service) {
        String group = Services.GROUP_PREFIX + service.serviceName();
        Set<String> deploymentIds = new HashSet<>();
        service.deployments().forEach(d -> deploymentIds.add(d.id()));
        service.taskSets().forEach(t -> deploymentIds.add(t.id()));
        List<Task> serviceTasks = TasksByGroup.of(region, clusterName, group).stream()
                .filter(t -> deploymentIds.contains(t.startedBy()))
                .toList();
        InstancesByStatus.Cluster instances = InstancesByStatus.of(region, clusterName);
        return new Fleet(serviceTasks, instances.notActive(), instances.active());
    }

    /** One step of one service: the decisions and their effects, written at {@link #finish}. */
    private final class Step {

        private final Transaction tx;
        private final Cluster cluster;
        private final String clusterName;
        private final Fleet fleet;
        private final Instant now;
        private final Map<String, TaskDefinition> definitions = new HashMap<>();
        private Service service;
        private final List<Task> started = new ArrayList<>();
        private final List<Task> stopped = new ArrayList<>();
        private final List<Task> current;

        Step(Transaction tx, Cluster cluster, Service service, Fleet fleet, Instant now) {
            this.tx = tx;
            this.cluster = cluster;
            this.clusterName = cluster.clusterName();
            this.service = service;
            this.fleet = fleet;
            this.now = now;
            this.current = new ArrayList<>(fleet.tasks());
        }

        Deployment primary() {
            return Deployments.primaryOf(service).orElseThrow();
        }

        int desired() {
            return Services.ACTIVE.equals(service.status()) ? service.desiredCount() : 0;
        }

        // ---- REPLICA ----

        void replica() {
            if (stopRequested() || tripCircuitBreaker()) {
                return;
            }
            Deployment primary = primary();
            int desired = desired();
            DeploymentConfiguration config = service.deploymentConfiguration();
            int maxTotal = desired * config.maximumPercent() / 100;
            int minHealthy = (desired * config.minimumHealthyPercent() + 99) / 100;

            List<Task> keep = live().stream().filter(t -> isKept(t, primary)).toList();
            // Scale in: the excess of the primary goes first, the least advanced tasks before the others.
            if (keep.size() > desired) {
                keep.stream().sorted(Comparator.comparing((Task t) -> isHealthy(t) ? 1 : 0))
                        .limit(keep.size() - desired).toList().forEach(this::stop);
                keep = live().stream().filter(t -> isKept(t, primary)).toList();
            }
            boolean launching = Services.ACTIVE.equals(service.status())
                    && primary.rolloutState() != DeploymentRolloutState.FAILED && !throttled(primary);
            if (launching && keep.size() < desired) {
                int room = Math.max(0, Math.max(maxTotal, desired) - inFlight());
                // With maximumPercent at 100 the first room comes from stopping a replaced task below.
                launch(Math.min(desired - keep.size(), room));
            }
            // Replaced tasks that are not healthy can go at once; healthy ones while enough others stay healthy.
            List<Task> replaced = live().stream().filter(t -> !isKept(t, primary)).toList();
            replaced.stream().filter(t -> !isHealthy(t)).toList().forEach(this::stop);
            int healthy = (int) live().stream().filter(this::isHealthy).count();
            for (Task task : replaced) {
                if (isHealthy(task) && healthy - 1 >= minHealthy) {
                    stop(task);
                    healthy--;
                }
            }
            if (launching) {
                keep = live().stream().filter(t -> isKept(t, primary)).toList();
                if (keep.size() < desired) {
                    int room = Math.max(0, Math.max(maxTotal, desired) - inFlight());
                    launch(Math.min(desired - keep.size(), room));
                }
            }
        }

        /**
         * A task the primary deployment keeps: its own, on an ACTIVE instance, and not reported
         * UNHEALTHY once the service's health check grace period after its start is over.
         */
        private boolean isKept(Task task, Deployment primary) {
            return primary.id().equals(task.startedBy()) && !fleet.drainingInstances().contains(task.containerInstanceArn())
                    && !isUnhealthy(task);
        }

        private boolean isUnhealthy(Task task) {
            if (task.healthStatus() != HealthStatus.UNHEALTHY) {
                return false;
            }
            Integer grace = service.healthCheckGracePeriodSeconds();
            return task.startedAt() == null || grace == null || !now.isBefore(task.startedAt().plusSeconds(grace));
        }

        private void launch(int count) {
            if (count > 0) {
                launch(count, launchOf(primary()));
            }
        }

        private void launch(int count, ServiceLaunch launch) {
            if (count <= 0) {
                return;
            }
            ServicePlacements placements = tasks.servicePlacements(tx, cluster, launch);
            for (int i = 0; i < count; i++) {
                Placer.Decision decision = placements.place(launch);
                if (!decision.isPlaced()) {
                    service = ServiceEvents.addUnlessRecent(service, ServiceEvents.unableToPlace(decision.failures()), now);
                    return;
                }
                Task task;
                try {
                    task = placements.record(decision, launch);
                } catch (EcsException e) {
                    service = ServiceEvents.addUnlessRecent(service, ServiceEvents.failedToLaunch(e.getMessage()), now);
                    return;
                }
                started.add(task);
                current.add(task);
            }
        }

        private ServiceLaunch launchOf(Deployment deployment) {
            return launchOf(deployment.taskDefinition(), deployment.id());
        }

        private ServiceLaunch launchOf(String taskDefinitionArn, String startedBy) {
            TaskDefinition definition = definition(taskDefinitionArn);
            PlacementRules rules = PlacementRules.of(service.placementConstraints(), service.placementStrategy(),
                    definition.placementConstraints());
            // A service on capacity providers has no launch type; its tasks run as EC2 tasks of a provider.
            String launchType = service.launchTypeAsString() != null ? service.launchTypeAsString() : "EC2";
            return new ServiceLaunch(definition, rules, launchType,
                    Services.GROUP_PREFIX + service.serviceName(), startedBy, propagatedTags(definition),
                    service.capacityProviderStrategy());
        }

        private List<Tag> propagatedTags(TaskDefinition definition) {
            List<Tag> tags = new ArrayList<>();
            switch (String.valueOf(service.propagateTagsAsString())) {
                case "SERVICE" -> tags.addAll(service.tags());
                case "TASK_DEFINITION" -> tags.addAll(TaskDefinitions.tags(tx.region(), definition));
                default -> {
                }
            }
            if (Boolean.TRUE.equals(service.enableECSManagedTags())) {
                tags.add(Tag.builder().key("aws:ecs:clusterName")
                        .value(clusterName).build());
                tags.add(Tag.builder().key("aws:ecs:serviceName")
                        .value(service.serviceName()).build());
            }
            return tags;
        }

        private void stop(Task task) {
            String by = Deployments.primaryOf(service).map(d -> "deployment " + d.id())
                    .orElse("task set " + task.startedBy());
            Task stopping = tasks.stopForService(tx, clusterName, task, "Scaling activity initiated by (" + by + ")");
            stopped.add(stopping);
            current.replaceAll(t -> t.taskArn().equals(task.taskArn()) ? stopping : t);
        }

        /** Tasks the service wants running that have not stopped. */
        private List<Task> live() {
            return current.stream()
                    .filter(t -> Tasks.RUNNING.equals(t.desiredStatus()) && !Tasks.STOPPED.equals(t.lastStatus()))
                    .toList();
        }

        /** Tasks RUNNING or PENDING, those being stopped included: what maximumPercent bounds. */
        private int inFlight() {
            return (int) current.stream().filter(t -> !Tasks.STOPPED.equals(t.lastStatus())).count();
        }

        /** RUNNING, and HEALTHY when its containers have health checks. */
        private boolean isHealthy(Task task) {
            if (!Tasks.RUNNING.equals(task.lastStatus()) || !Tasks.RUNNING.equals(task.desiredStatus())) {
                return false;
            }
            TaskDefinition definition = definition(task.taskDefinitionArn());
            boolean checked = definition != null
                    && definition.containerDefinitions().stream().anyMatch(c -> c.healthCheck() != null);
            return !checked || task.healthStatus() == HealthStatus.HEALTHY;
        }

        private TaskDefinition definition(String arn) {
            return definitions.computeIfAbsent(arn, a -> TaskDefinitions.resolve(tx.region(), a).orElse(null));
        }

        // ---- failures: circuit breaker and back-off ----

        private static boolean failed(Task task) {
            return Tasks.STOPPED.equals(task.lastStatus()) && (task.stopCode() == TaskStopCode.TASK_FAILED_TO_START
                    || task.stopCode() == TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
        }

        private List<Task> failuresOf(Deployment deployment) {
            return current.stream().filter(t -> deployment.id().equals(t.startedBy())).filter(Step::failed).toList();
        }

        /**
         * Trips the breaker of a primary deployment in progress whose failed tasks reach the
         * threshold: the deployment FAILS and, with rollback, the last completed deployment becomes
         * PRIMARY again. Answers whether it tripped.
         */
        private boolean tripCircuitBreaker() {
            Deployment primary = primary();
            int failures = failuresOf(primary).size();
            DeploymentCircuitBreaker breaker = service.deploymentConfiguration().deploymentCircuitBreaker();
            boolean on = breaker != null && Boolean.TRUE.equals(breaker.enable());
            if (!on || primary.rolloutState() != DeploymentRolloutState.IN_PROGRESS
                    || failures < Deployments.CircuitBreaker.threshold(desired())) {
                return false;
            }
            ServiceDeploymentCircuitBreaker triggered = ServiceDeploymentCircuitBreaker.builder()
                    .status(ServiceDeploymentRollbackMonitorsStatus.TRIGGERED)
                    .failureCount(failures).threshold(Deployments.CircuitBreaker.threshold(desired())).build();
            endPrimary("ECS deployment circuit breaker: tasks failed to start.",
                    ServiceEvents.deploymentFailed(primary.id()), Boolean.TRUE.equals(breaker.rollback()),
                    "Circuit breaker triggered", triggered, failures);
            return true;
        }

        /** StopServiceDeployment asked the primary in progress to roll back. Answers whether it did. */
        private boolean stopRequested() {
            Deployment primary = primary();
            String sdKey = Deployments.key(clusterName, service.serviceName(), primary.id());
            boolean requested = tx.get(Services.DEPLOYMENTS, sdKey)
                    .filter(sd -> sd.status() == ServiceDeploymentStatus.ROLLBACK_REQUESTED).isPresent();
            if (!requested || primary.rolloutState() != DeploymentRolloutState.IN_PROGRESS) {
                return false;
            }
            endPrimary("Service deployment stopped by request.", ServiceEvents.deploymentStopped(primary.id()), true,
                    "Rollback requested", null, failuresOf(primary).size());
            return true;
        }

        /**
         * Ends the primary deployment as FAILED; when a rollback is wanted and an earlier deployment
         * COMPLETED, that one becomes PRIMARY again and its service revision the target.
         */
        private void endPrimary(String reason, String event, boolean wantRollback, String rollbackReason,
                ServiceDeploymentCircuitBreaker breakerState, int failures) {
            Deployment primary = primary();
            Deployment failedOne = primary.toBuilder().rolloutState(DeploymentRolloutState.FAILED)
                    .rolloutStateReason(reason).failedTasks(failures).updatedAt(now).build();
            Optional<Deployment> previous = service.deployments().stream()
                    .filter(d -> !d.id().equals(primary.id()) && d.rolloutState() == DeploymentRolloutState.COMPLETED)
                    .findFirst();
            service = ServiceEvents.add(service, event, now);
            String sdKey = Deployments.key(clusterName, service.serviceName(), primary.id());
            boolean rollback = wantRollback && previous.isPresent();
            tx.get(Services.DEPLOYMENTS, sdKey).ifPresent(sd -> tx.put(Services.DEPLOYMENTS, sdKey, sd.toBuilder()
                    .status(rollback ? ServiceDeploymentStatus.ROLLBACK_IN_PROGRESS : ServiceDeploymentStatus.STOPPED)
                    .statusReason(reason)
                    .deploymentCircuitBreaker(breakerState != null ? breakerState : sd.deploymentCircuitBreaker())
                    .rollback(rollback ? Rollback.builder().reason(rollbackReason).startedAt(now)
                            .serviceRevisionArn(Deployments.revisionArn(tx.scope(), clusterName, service.serviceName(),
                                    previous.get().id())).build() : null)
                    .stoppedAt(rollback ? null : now)
                    .updatedAt(now).build()));
            List<Deployment> deployments = new ArrayList<>();
            if (rollback) {
                Deployment target = previous.get().toBuilder().status(Deployments.PRIMARY)
                        .desiredCount(desired())
                        .rolloutState(DeploymentRolloutState.IN_PROGRESS)
                        .rolloutStateReason("ECS deployment " + primary.id() + " rolling back to deploymentId "
                                + previous.get().id() + ".")
                        .updatedAt(now).build();
                deployments.add(target);
                service.deployments().stream().filter(d -> !d.id().equals(primary.id()) && !d.id().equals(target.id()))
                        .forEach(deployments::add);
                deployments.add(failedOne.toBuilder().status(Deployments.ACTIVE).build());
                service = service.toBuilder().taskDefinition(target.taskDefinition()).deployments(deployments).build();
                service = ServiceEvents.add(service, ServiceEvents.rollingBack(target.id()), now);
            } else {
                service.deployments().forEach(d -> deployments.add(d.id().equals(primary.id()) ? failedOne : d));
                service = service.toBuilder().deployments(deployments).build();
            }
        }

        /**
         * Whether launches wait because the primary's tasks keep failing to start: after
         * {@link #THROTTLE_AFTER} failures since its last task that kept running, the next launch
         * waits {@link #FIRST_DELAY}, doubling with each further failure up to {@link #MAX_DELAY}.
         */
        private boolean throttled(Deployment primary) {
            // A task counts as a good start once it has kept running for FIRST_DELAY: tasks whose
            // container exits right after starting are briefly RUNNING and must not reset the count.
            Instant lastGood = current.stream().filter(t -> primary.id().equals(t.startedBy()))
                    .filter(t -> Tasks.RUNNING.equals(t.lastStatus()) && t.startedAt() != null)
                    .filter(t -> !now.isBefore(t.startedAt().plus(FIRST_DELAY)))
                    .map(Task::startedAt).max(Comparator.naturalOrder()).orElse(Instant.MIN);
            List<Task> failures = failuresOf(primary).stream()
                    .filter(t -> t.stoppedAt() != null && t.stoppedAt().isAfter(lastGood))
                    .toList();
            if (failures.size() < THROTTLE_AFTER) {
                return false;
            }
            Instant lastFailure = failures.stream().map(Task::stoppedAt).max(Comparator.naturalOrder()).orElseThrow();
            if (!now.isBefore(lastFailure.plus(delay(failures.size())))) {
                return false;
            }
            service = ServiceEvents.addUnlessRecent(service, ServiceEvents.throttled(), now);
            return true;
        }

        // ---- DAEMON ----

        void daemon() {
            Deployment primary = primary();
            boolean launching = Services.ACTIVE.equals(service.status()) && !throttled(primary);
            // Tasks on instances that are no longer ACTIVE go; each ACTIVE instance keeps one task of the
            // primary. An older deployment's task goes only when the primary may launch its replacement.
            Set<String> kept = new HashSet<>();
            for (Task task : live()) {
                String instance = task.containerInstanceArn();
                boolean wanted = Services.ACTIVE.equals(service.status()) && fleet.activeInstances().contains(instance);
                if (!wanted) {
                    // On a draining instance the daemon goes last, once the instance's other tasks have stopped.
                    if (!Services.ACTIVE.equals(service.status()) || !othersLiveOn(instance)) {
                        stop(task);
                    }
                } else if (primary.id().equals(task.startedBy())) {
                    if (!kept.add(instance)) {
                        stop(task);
                    }
                } else if (launching) {
                    stop(task);
                }
            }
            if (!launching) {
                return;
            }
            ServiceLaunch launch = launchOf(primary);
            ServicePlacements placements = tasks.servicePlacements(tx, cluster, launch);
            for (String instanceArn : fleet.activeInstances().stream().sorted().toList()) {
                boolean running = current.stream().anyMatch(t -> instanceArn.equals(t.containerInstanceArn())
                        && !Tasks.STOPPED.equals(t.lastStatus()));
                if (running) {
                    // An older task still holds the instance until its agent reports it stopped.
                    continue;
                }
                if (placements.unfit(instanceArn, launch).isEmpty()) {
                    Task task;
                    try {
                        task = placements.placeOn(instanceArn, launch);
                    } catch (EcsException e) {
                        service = ServiceEvents.addUnlessRecent(service, ServiceEvents.failedToLaunch(e.getMessage()),
                                now);
                        return;
                    }
                    started.add(task);
                    current.add(task);
                }
            }
        }

        /** Whether tasks other than this service's have not stopped on the instance. */
        private boolean othersLiveOn(String instanceArn) {
            String group = Services.GROUP_PREFIX + service.serviceName();
            return tx.region().withPrefix(Tasks.KIND, clusterName + "/").stream()
                    .anyMatch(t -> instanceArn.equals(t.containerInstanceArn()) && !group.equals(t.group())
                            && !Tasks.STOPPED.equals(t.lastStatus()));
        }

        private int daemonDesired() {
            Deployment primary = primary();
            return (int) fleet.activeInstances().stream().filter(arn -> current.stream()
                    .anyMatch(t -> arn.equals(t.containerInstanceArn()) && primary.id().equals(t.startedBy())
                            && Tasks.RUNNING.equals(t.desiredStatus()) && !Tasks.STOPPED.equals(t.lastStatus())))
                    .count();
        }

        // ---- EXTERNAL: task sets ----

        /**
         * Keeps each task set at its computed desired count: replaces its stopped, unhealthy and
         * draining-instance tasks, stops its excess, and forgets a deleted task set once its tasks
         * have stopped. How traffic moves between task sets is the external controller's business.
         */
        void external() {
            List<TaskSet> taskSets = new ArrayList<>();
            for (TaskSet declared : service.taskSets()) {
                TaskSet taskSet = TaskSetService.scaled(declared, desired());
                String id = taskSet.id();
                int target = taskSet.computedDesiredCount();
                List<Task> own = live().stream().filter(t -> id.equals(t.startedBy())).toList();
                List<Task> kept = own.stream().filter(t -> !fleet.drainingInstances().contains(t.containerInstanceArn())
                        && !isUnhealthy(t)).toList();
                if (kept.size() > target) {
                    kept.stream().sorted(Comparator.comparing((Task t) -> isHealthy(t) ? 1 : 0))
                            .limit(kept.size() - target).toList().forEach(this::stop);
                } else if (kept.size() < target && Services.ACTIVE.equals(service.status())
                        && !TaskSetService.DRAINING.equals(taskSet.status())) {
                    launch(target - kept.size(), launchOf(taskSet.taskDefinition(), id));
                }
                long keptHealthy = kept.stream().filter(this::isHealthy).count();
                for (Task task : own) {
                    if (!kept.contains(task) && (!isHealthy(task) || keptHealthy >= target)) {
                        stop(task);
                    }
                }
                List<Task> ofSet = current.stream().filter(t -> id.equals(t.startedBy())).toList();
                boolean gone = ofSet.stream().allMatch(t -> Tasks.STOPPED.equals(t.lastStatus()));
                if (TaskSetService.DRAINING.equals(taskSet.status()) && gone) {
                    continue;
                }
                int running = (int) ofSet.stream().filter(t -> Tasks.RUNNING.equals(t.lastStatus())).count();
                int pending = (int) ofSet.stream().filter(t -> Tasks.PENDING.equals(t.lastStatus())).count();
                long healthyNow = ofSet.stream().filter(this::isHealthy).count();
                boolean steady = healthyNow == target && running == target && pending == 0;
                StabilityStatus stability = steady
                        ? StabilityStatus.STEADY_STATE
                        : StabilityStatus.STABILIZING;
                TaskSet counted = taskSet.toBuilder().runningCount(running)
                        .pendingCount(pending).stabilityStatus(stability)
                        .stabilityStatusAt(stability == declared.stabilityStatus() ? declared.stabilityStatusAt() : now)
                        .build();
                taskSets.add(counted.equals(declared) ? declared : counted.toBuilder().updatedAt(now).build());
            }
            service = service.toBuilder().taskSets(taskSets).build();
            if (!started.isEmpty()) {
                service = ServiceEvents.add(service, ServiceEvents.started(ids(started)), now);
            }
            if (!stopped.isEmpty()) {
                service = ServiceEvents.add(service, ServiceEvents.stopped(ids(stopped)), now);
            }
            service = service.toBuilder()
                    .runningCount((int) current.stream().filter(t -> Tasks.RUNNING.equals(t.lastStatus())).count())
                    .pendingCount((int) current.stream().filter(t -> Tasks.PENDING.equals(t.lastStatus())).count())
                    .build();
            boolean allSteady = taskSets.stream().allMatch(
                    t -> t.stabilityStatus() == StabilityStatus.STEADY_STATE);
            if (Services.DRAINING.equals(service.status())
                    && current.stream().allMatch(t -> Tasks.STOPPED.equals(t.lastStatus()))) {
                service = service.toBuilder().status(Services.INACTIVE).build();
            } else if (Services.ACTIVE.equals(service.status()) && !taskSets.isEmpty() && allSteady
                    && started.isEmpty() && stopped.isEmpty() && !ServiceEvents.lastIsSteady(service)) {
                service = ServiceEvents.add(service, ServiceEvents.STEADY, now);
            }
            String key = Services.key(clusterName, service.serviceName());
            if (!service.equals(tx.get(Services.KIND, key).orElse(null))) {
                tx.put(Services.KIND, key, service);
            }
        }

        // ---- counts, completion, events ----

        void finish() {
            boolean daemon = "DAEMON".equals(service.schedulingStrategyAsString());
            if (daemon && Services.ACTIVE.equals(service.status())) {
                service = service.toBuilder().desiredCount(daemonDesired()).build();
            }
            if (!started.isEmpty()) {
                service = ServiceEvents.add(service, ServiceEvents.started(ids(started)), now);
            }
            if (!stopped.isEmpty()) {
                service = ServiceEvents.add(service, ServiceEvents.stopped(ids(stopped)), now);
            }
            Deployment primary = primary();
            int desired = desired();
            List<Task> live = live();
            boolean othersGone = current.stream().noneMatch(t -> !Tasks.STOPPED.equals(t.lastStatus())
                    && !(primary.id().equals(t.startedBy()) && Tasks.RUNNING.equals(t.desiredStatus())));
            long keptHealthy = live.stream().filter(t -> isKept(t, primary)).filter(this::isHealthy).count();
            boolean complete = othersGone && keptHealthy == desired && live.size() == desired;
            List<Deployment> deployments = new ArrayList<>();
            for (Deployment deployment : service.deployments()) {
                boolean isPrimary = deployment.id().equals(primary.id());
                if (!isPrimary && complete && primary.rolloutState() != DeploymentRolloutState.FAILED) {
                    continue;
                }
                deployments.add(counted(deployment, isPrimary ? desired : (int) live.stream()
                        .filter(t -> deployment.id().equals(t.startedBy())).count()));
            }
            service = service.toBuilder().deployments(deployments).build();
            if (complete && primary().rolloutState() == DeploymentRolloutState.IN_PROGRESS) {
                completed();
            }
            service = service.toBuilder()
                    .runningCount((int) current.stream().filter(t -> Tasks.RUNNING.equals(t.lastStatus())).count())
                    .pendingCount((int) current.stream().filter(t -> Tasks.PENDING.equals(t.lastStatus())).count())
                    .build();
            if (Services.DRAINING.equals(service.status())
                    && current.stream().allMatch(t -> Tasks.STOPPED.equals(t.lastStatus()))) {
                service = service.toBuilder().status(Services.INACTIVE).build();
            } else if (complete && Services.ACTIVE.equals(service.status()) && service.deployments().size() == 1
                    && !ServiceEvents.lastIsSteady(service)) {
                service = ServiceEvents.add(service, ServiceEvents.STEADY, now);
            }
            String key = Services.key(clusterName, service.serviceName());
            if (!service.equals(tx.get(Services.KIND, key).orElse(null))) {
                tx.put(Services.KIND, key, service);
            }
            updateServiceDeployments();
        }

        private Deployment counted(Deployment deployment, int desiredCount) {
            int running = (int) current.stream().filter(t -> deployment.id().equals(t.startedBy()))
                    .filter(t -> Tasks.RUNNING.equals(t.lastStatus())).count();
            int pending = (int) current.stream().filter(t -> deployment.id().equals(t.startedBy()))
                    .filter(t -> Tasks.PENDING.equals(t.lastStatus())).count();
            int failed = failuresOf(deployment).size();
            Deployment counted = deployment.toBuilder().desiredCount(desiredCount).runningCount(running)
                    .pendingCount(pending).failedTasks(failed).build();
            return counted.equals(deployment) ? deployment : counted.toBuilder().updatedAt(now).build();
        }

        private void completed() {
            Deployment primary = primary();
            List<Deployment> deployments = new ArrayList<>();
            for (Deployment deployment : service.deployments()) {
                deployments.add(deployment.id().equals(primary.id()) ? deployment.toBuilder()
                        .rolloutState(DeploymentRolloutState.COMPLETED)
                        .rolloutStateReason("ECS deployment " + primary.id() + " completed.")
                        .updatedAt(now).build() : deployment);
            }
            service = service.toBuilder().deployments(deployments).build();
            service = ServiceEvents.add(service, ServiceEvents.deploymentCompleted(primary.id()), now);
            String sdKey = Deployments.key(clusterName, service.serviceName(), primary.id());
            Optional<ServiceDeployment> own = tx.get(Services.DEPLOYMENTS, sdKey)
                    .filter(sd -> sd.status() == ServiceDeploymentStatus.IN_PROGRESS);
            own.ifPresent(sd -> tx.put(Services.DEPLOYMENTS, sdKey, sd.toBuilder()
                    .status(ServiceDeploymentStatus.SUCCESSFUL).finishedAt(now).updatedAt(now)
                    .deploymentCircuitBreaker(sd.deploymentCircuitBreaker() == null ? null
                            : sd.deploymentCircuitBreaker().toBuilder()
                            .status(sd.deploymentCircuitBreaker().status() == ServiceDeploymentRollbackMonitorsStatus.DISABLED
                                    ? ServiceDeploymentRollbackMonitorsStatus.DISABLED
                                    : ServiceDeploymentRollbackMonitorsStatus.MONITORING_COMPLETE).build())
                    .build()));
            // A rollback ends the deployment that failed.
            String prefix = clusterName + "/" + service.serviceName() + "/";
            for (ServiceDeployment stored : List.copyOf(tx.region().withPrefix(Services.DEPLOYMENTS, prefix))) {
                // Read through the transaction: the rollback may have begun in this very step.
                String storedKey = Deployments.keyOfArn(tx.scope(), "service-deployment", stored.serviceDeploymentArn())
                        .orElseThrow();
                ServiceDeployment sd = tx.get(Services.DEPLOYMENTS, storedKey).orElse(stored);
                if (sd.status() == ServiceDeploymentStatus.ROLLBACK_IN_PROGRESS) {
                    tx.put(Services.DEPLOYMENTS, storedKey, sd.toBuilder()
                            .status(ServiceDeploymentStatus.ROLLBACK_SUCCESSFUL).finishedAt(now).updatedAt(now).build());
                }
            }
        }

        /** Keeps the task counts of the service deployments in progress as the deployments show them. */
        private void updateServiceDeployments() {
            for (Deployment deployment : service.deployments()) {
                String sdKey = Deployments.key(clusterName, service.serviceName(), deployment.id());
                Optional<ServiceDeployment> sd = tx.get(Services.DEPLOYMENTS, sdKey);
                if (sd.isEmpty() || sd.get().targetServiceRevision() == null) {
                    continue;
                }
                ServiceRevisionSummary target = sd.get().targetServiceRevision().toBuilder()
                        .requestedTaskCount(deployment.desiredCount()).runningTaskCount(deployment.runningCount())
                        .pendingTaskCount(deployment.pendingCount()).build();
                ServiceDeployment updated = sd.get().toBuilder().targetServiceRevision(target)
                        .deploymentCircuitBreaker(sd.get().deploymentCircuitBreaker() == null ? null
                                : sd.get().deploymentCircuitBreaker().toBuilder()
                                .failureCount(deployment.failedTasks()).build())
                        .build();
                if (!updated.equals(sd.get())) {
                    tx.put(Services.DEPLOYMENTS, sdKey, updated.toBuilder().updatedAt(now).build());
                }
            }
        }

        private static List<String> ids(List<Task> tasks) {
            return tasks.stream().map(t -> Tasks.idOf(t.taskArn())).toList();
        }
    }

    static Duration delay(int failures) {
        int doublings = Math.min(failures - THROTTLE_AFTER, 10);
        Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }
}
