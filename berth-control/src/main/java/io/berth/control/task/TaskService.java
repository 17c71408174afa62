package io.berth.control.task;

import io.berth.control.Caller;
import io.berth.control.Operations;
import io.berth.control.Scope;
import io.berth.control.network.TaskNetworks;
import io.berth.control.state.State;
import io.berth.control.state.Transaction;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
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
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * The task family's operations and what the rest of the control plane asks of tasks: RunTask and StartTask
 * ({@link TaskLaunches}), StopTask ({@link TaskStops}), DescribeTasks and ListTasks ({@link TaskLookups}), the
 * agents' reports ({@link AgentReports}) and container health ({@link TaskHealth}), and placements for the
 * service scheduler ({@link ServicePlacements}).
 */
public final class TaskService {

    private final Clock clock;
    private final Supplier<RandomGenerator> random;
    private final NewTasks newTasks;
    private final TaskLaunches launches;
    private final TaskStops stops;
    private final TaskLookups lookups;
    private final AgentReports reports;
    private final TaskHealth health;

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
        this(state, clock, random, roles, new TaskNetworks(state));
    }

    /**
     * @param roles assumes the roles of the tasks placed
     * @param networks gives awsvpc tasks their addresses
     */
    public TaskService(State state, Clock clock, TaskRoles roles, TaskNetworks networks) {
        this(state, clock, ThreadLocalRandom::current, roles, networks);
    }

    private TaskService(State state, Clock clock, Supplier<RandomGenerator> random, TaskRoles roles,
            TaskNetworks networks) {
        this.clock = clock;
        this.random = random;
        this.newTasks = new NewTasks(roles, networks);
        this.launches = new TaskLaunches(state, clock, random, newTasks);
        this.stops = new TaskStops(state, clock);
        this.lookups = new TaskLookups(state);
        this.reports = new AgentReports(state, clock);
        this.health = new TaskHealth(state);
    }

    public void addTo(Operations operations) {
        operations.add("RunTask", RunTaskRequest.class, launches::runTask);
        operations.add("StartTask", StartTaskRequest.class, launches::startTask);
        operations.add("StopTask", StopTaskRequest.class, stops::stopTask);
        operations.add("DescribeTasks", DescribeTasksRequest.class, lookups::describeTasks);
        operations.add("ListTasks", ListTasksRequest.class, lookups::listTasks);
        operations.add("SubmitTaskStateChange", SubmitTaskStateChangeRequest.class, reports::submitTaskStateChange);
        operations.add("SubmitContainerStateChange", SubmitContainerStateChangeRequest.class,
                reports::submitContainerStateChange);
        operations.add("SubmitAttachmentStateChanges", SubmitAttachmentStateChangesRequest.class,
                reports::submitAttachmentStateChanges);
    }

    public RunTaskResponse runTask(Caller caller, RunTaskRequest request) {
        return launches.runTask(caller, request);
    }

    public StartTaskResponse startTask(Caller caller, StartTaskRequest request) {
        return launches.startTask(caller, request);
    }

    public StopTaskResponse stopTask(Caller caller, StopTaskRequest request) {
        return stops.stopTask(caller, request);
    }

    public DescribeTasksResponse describeTasks(Caller caller, DescribeTasksRequest request) {
        return lookups.describeTasks(caller, request);
    }

    public ListTasksResponse listTasks(Caller caller, ListTasksRequest request) {
        return lookups.listTasks(caller, request);
    }

    public SubmitTaskStateChangeResponse submitTaskStateChange(Caller caller, SubmitTaskStateChangeRequest request) {
        return reports.submitTaskStateChange(caller, request);
    }

    public SubmitContainerStateChangeResponse submitContainerStateChange(Caller caller,
            SubmitContainerStateChangeRequest request) {
        return reports.submitContainerStateChange(caller, request);
    }

    public SubmitAttachmentStateChangesResponse submitAttachmentStateChanges(Caller caller,
            SubmitAttachmentStateChangesRequest request) {
        return reports.submitAttachmentStateChanges(caller, request);
    }

    /**
     * Records the health of a task's containers (HEALTHY, UNHEALTHY or UNKNOWN by container name) as the agent of
     * {@code containerInstanceArn} published it over telemetry; health for a task of another instance is ignored.
     */
    public void recordHealth(Scope scope, String containerInstanceArn, String taskArn,
            Map<String, String> containerHealth) {
        health.record(scope, containerInstanceArn, taskArn, containerHealth);
    }

    /** Placements for a service scheduler's launch inside its own write; see {@link ServicePlacements}. */
    public ServicePlacements servicePlacements(Transaction tx, Cluster cluster, ServiceLaunch launch) {
        return new ServicePlacements(tx, cluster, launch, random, newTasks, clock);
    }

    /**
     * A service scheduler wants the task stopped (stop code {@code ServiceSchedulerInitiated});
     * as with StopTask the agent's report ends it.
     */
    public Task stopForService(Transaction tx, String clusterName, Task task, String reason) {
        return stops.stopForService(tx, clusterName, task, TaskStopCode.SERVICE_SCHEDULER_INITIATED, reason);
    }
}
