package io.berth.control.service;

import io.berth.control.fargate.FargateCapacity;
import io.berth.control.placement.PlacementRules;
import io.berth.control.placement.Placer;
import io.berth.control.state.Transaction;
import io.berth.control.task.ServiceLaunch;
import io.berth.control.task.ServicePlacements;
import io.berth.control.task.TaskService;
import io.berth.control.task.Tasks;
import io.berth.control.taskdef.TaskDefinitions;
import io.berth.model.EcsException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskSet;

/**
 * One step of one service: what the step read, the tasks it started and stopped, and the service as the step
 * has changed it, written at the end of the step. Every decision reads the tasks as the agents last reported them.
 */
final class ServiceStep {

    /** Why a service stops a task whose essential container failed its health check, in ECS's words. */
    static final String FAILED_HEALTH_CHECKS = "Task failed container health checks";

    /** The tasks of one service and the cluster's instances by status, read once per step. */
    record Fleet(List<Task> tasks, Set<String> drainingInstances, Set<String> activeInstances) {
    }

    final Transaction tx;
    final Cluster cluster;
    final String clusterName;
    final Fleet fleet;
    final Instant now;
    /** Tasks this step started, stopped, and every task of the service as this step leaves it. */
    final List<Task> started = new ArrayList<>();
    final List<Task> stopped = new ArrayList<>();
    final List<Task> current;
    private final TaskService tasks;
    private final Map<String, TaskDefinition> definitions = new HashMap<>();
    private Service service;

    ServiceStep(Transaction tx, Cluster cluster, Service service, Fleet fleet, Instant now, TaskService tasks) {
        this.tx = tx;
        this.cluster = cluster;
        this.clusterName = cluster.clusterName();
        this.service = service;
        this.fleet = fleet;
        this.now = now;
        this.tasks = tasks;
        this.current = new ArrayList<>(fleet.tasks());
    }

    Service service() {
        return service;
    }

    void service(Service changed) {
        service = changed;
    }

    Deployment primary() {
        return Deployments.primaryOf(service).orElseThrow();
    }

    int desired() {
        return Services.ACTIVE.equals(service.status()) ? service.desiredCount() : 0;
    }

    /**
     * A task the primary deployment keeps: its own, on an ACTIVE instance, and not reported
     * UNHEALTHY once the service's health check grace period after its start is over.
     */
    boolean isKept(Task task, Deployment primary) {
        return primary.id().equals(task.startedBy()) && !fleet.drainingInstances().contains(task.containerInstanceArn())
                && !isUnhealthy(task);
    }

    /** Reported UNHEALTHY, and past the service's health check grace period after its start. */
    boolean isUnhealthy(Task task) {
        if (task.healthStatus() != HealthStatus.UNHEALTHY) {
            return false;
        }
        Integer grace = service.healthCheckGracePeriodSeconds();
        return task.startedAt() == null || grace == null || !now.isBefore(task.startedAt().plusSeconds(grace));
    }

    /** RUNNING and wanted running, and HEALTHY when an essential container of its definition has a health check. */
    boolean isHealthy(Task task) {
        if (!Tasks.RUNNING.equals(task.lastStatus()) || !Tasks.RUNNING.equals(task.desiredStatus())) {
            return false;
        }
        TaskDefinition definition = definition(task.taskDefinitionArn());
        boolean checked = definition != null && Tasks.hasHealthChecks(definition);
        return !checked || task.healthStatus() == HealthStatus.HEALTHY;
    }

    TaskDefinition definition(String arn) {
        return definitions.computeIfAbsent(arn, a -> TaskDefinitions.resolve(tx.region(), a).orElse(null));
    }

    /** Tasks the service wants running that have not stopped. */
    List<Task> live() {
        return current.stream()
                .filter(t -> Tasks.RUNNING.equals(t.desiredStatus()) && !Tasks.STOPPED.equals(t.lastStatus()))
                .toList();
    }

    /** Tasks RUNNING or PENDING, those being stopped included: what maximumPercent bounds. */
    int inFlight() {
        return (int) current.stream().filter(t -> !Tasks.STOPPED.equals(t.lastStatus())).count();
    }

    /** Starts up to {@code count} tasks of the primary deployment. */
    void launch(int count) {
        if (count > 0) {
            launch(count, launchOf(primary()));
        }
    }

    /** Starts up to {@code count} tasks; the first that cannot be placed or launched ends it, with an event. */
    void launch(int count, ServiceLaunch launch) {
        if (count <= 0) {
            return;
        }
        ServicePlacements placements = placements(launch);
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
            started(task);
        }
    }

    ServicePlacements placements(ServiceLaunch launch) {
        return tasks.servicePlacements(tx, cluster, launch);
    }

    void started(Task task) {
        started.add(task);
        current.add(task);
    }

    ServiceLaunch launchOf(Deployment deployment) {
        return launchOf(deployment.taskDefinition(), deployment.id(), deployment.networkConfiguration());
    }

    /** A task set's tasks run as the task set says: its launch type or strategy, its network and platform. */
    ServiceLaunch launchOf(TaskSet taskSet) {
        List<CapacityProviderStrategyItem> strategy = taskSet.capacityProviderStrategy();
        String launchType = taskSet.launchTypeAsString() != null ? taskSet.launchTypeAsString()
                : FargateCapacity.launchTypeOf(strategy);
        return launchOf(taskSet.taskDefinition(), taskSet.id(), launchType, strategy, taskSet.networkConfiguration(),
                taskSet.platformVersion());
    }

    ServiceLaunch launchOf(String taskDefinitionArn, String startedBy, NetworkConfiguration network) {
        // A service on capacity providers has no launch type; its tasks run as EC2 tasks of a provider, or as
        // Fargate tasks on the FARGATE providers.
        String launchType = service.launchTypeAsString() != null ? service.launchTypeAsString()
                : FargateCapacity.launchTypeOf(service.capacityProviderStrategy());
        return launchOf(taskDefinitionArn, startedBy, launchType, service.capacityProviderStrategy(), network,
                service.platformVersion());
    }

    private ServiceLaunch launchOf(String taskDefinitionArn, String startedBy, String launchType,
            List<CapacityProviderStrategyItem> strategy, NetworkConfiguration network, String platformVersion) {
        TaskDefinition definition = definition(taskDefinitionArn);
        PlacementRules rules = PlacementRules.of(service.placementConstraints(), service.placementStrategy(),
                definition.placementConstraints());
        return new ServiceLaunch(definition, rules, launchType, Services.GROUP_PREFIX + service.serviceName(),
                startedBy, propagatedTags(definition), strategy, network, platformVersion);
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
            tags.add(Tag.builder().key("aws:ecs:clusterName").value(clusterName).build());
            tags.add(Tag.builder().key("aws:ecs:serviceName").value(service.serviceName()).build());
        }
        return tags;
    }

    /**
     * Stops a task of the service: one that failed its health checks says so, with the event ECS writes; any other
     * is stopped as scaling activity of the primary deployment (or of the task's task set).
     */
    void stop(Task task) {
        String reason;
        if (isUnhealthy(task)) {
            reason = FAILED_HEALTH_CHECKS;
            service = ServiceEvents.add(service, ServiceEvents.failedHealthChecks(Tasks.idOf(task.taskArn())), now);
        } else {
            String by = Deployments.primaryOf(service).map(d -> "deployment " + d.id())
                    .orElse("task set " + task.startedBy());
            reason = "Scaling activity initiated by (" + by + ")";
        }
        Task stopping = tasks.stopForService(tx, clusterName, task, reason);
        stopped.add(stopping);
        current.replaceAll(t -> t.taskArn().equals(task.taskArn()) ? stopping : t);
    }

    /** Adds the events of the tasks this step started and stopped. */
    void addTaskEvents() {
        if (!started.isEmpty()) {
            service = ServiceEvents.add(service, ServiceEvents.started(ids(started)), now);
        }
        if (!stopped.isEmpty()) {
            service = ServiceEvents.add(service, ServiceEvents.stopped(ids(stopped)), now);
        }
    }

    /** The service's counts of RUNNING and PENDING tasks as this step leaves them. */
    void count() {
        service = service.toBuilder()
                .runningCount((int) current.stream().filter(t -> Tasks.RUNNING.equals(t.lastStatus())).count())
                .pendingCount((int) current.stream().filter(t -> Tasks.PENDING.equals(t.lastStatus())).count())
                .build();
    }

    /** Whether a DRAINING service has no task left, which makes it INACTIVE. */
    boolean drained() {
        return Services.DRAINING.equals(service.status())
                && current.stream().allMatch(t -> Tasks.STOPPED.equals(t.lastStatus()));
    }

    /** Writes the service if this step changed it. */
    void save() {
        String key = Services.key(clusterName, service.serviceName());
        if (!service.equals(tx.get(Services.KIND, key).orElse(null))) {
            tx.put(Services.KIND, key, service);
        }
    }

    private static List<String> ids(List<Task> tasks) {
        return tasks.stream().map(t -> Tasks.idOf(t.taskArn())).toList();
    }
}
