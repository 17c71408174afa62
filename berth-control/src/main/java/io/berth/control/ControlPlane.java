package io.berth.control;

import io.berth.control.access.AccessControl;
import io.berth.control.account.AccountSettingService;
import io.berth.control.account.AccountSettings;
import io.berth.control.capacity.CapacityProviderService;
import io.berth.control.capacity.CapacityProviders;
import io.berth.control.cluster.ClusterActivity;
import io.berth.control.cluster.ClusterService;
import io.berth.control.cluster.Clusters;
import io.berth.control.iam.Authorizer;
import io.berth.control.instance.ContainerInstanceService;
import io.berth.control.instance.ContainerInstanceTags;
import io.berth.control.instance.ContainerInstances;
import io.berth.control.network.Cidr;
import io.berth.control.network.TaskNetworks;
import io.berth.control.placement.Claims;
import io.berth.control.secrets.SecretsManager;
import io.berth.control.service.ServiceReconciler;
import io.berth.control.service.ServiceService;
import io.berth.control.service.TaskSetService;
import io.berth.control.service.Services;
import io.berth.control.ssm.ParameterStore;
import io.berth.control.state.Kind;
import io.berth.control.state.State;
import io.berth.control.tag.TagService;
import io.berth.control.iam.RoleSessions;
import io.berth.control.tag.Taggable;
import io.berth.control.task.TaskRoles;
import io.berth.control.task.TaskService;
import io.berth.control.task.TaskTags;
import io.berth.control.task.Tasks;
import io.berth.control.taskdef.TaskDefinitionService;
import io.berth.control.taskdef.TaskDefinitionTags;
import io.berth.control.taskdef.TaskDefinitions;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

/**
 * The control plane assembled: one service per resource family over one {@link State}. The server
 * builds it once and hands its operations to the edge.
 */
public final class ControlPlane {

    /** Everything the control plane stores, so a restart can read it back. */
    public static final List<Kind<?>> KINDS = Stream.of(List.of(Clusters.KIND, TaskDefinitions.KIND,
            TaskDefinitions.FAMILY_KIND, TaskDefinitions.TAGS_KIND,
            ContainerInstances.KIND, Tasks.KIND, Tasks.CLIENT_TOKENS, Claims.KIND, AccountSettings.KIND,
            Services.KIND, Services.DEPLOYMENTS, Services.REVISIONS, CapacityProviders.KIND, TaskRoles.IDS),
            ParameterStore.KINDS, SecretsManager.KINDS, TaskNetworks.KINDS).<Kind<?>>flatMap(List::stream).toList();

    /**
     * Where agents reach this control plane.
     *
     * @param acsEndpoint the base URL of the agent websocket (DiscoverPollEndpoint's {@code endpoint})
     * @param telemetryEndpoint the base URL of the telemetry websocket
     */
    public record Endpoints(String acsEndpoint, String telemetryEndpoint) {
    }

    private final ClusterService clusters;
    private final TaskDefinitionService taskDefinitions;
    private final ContainerInstanceService containerInstances;
    private final TaskService tasks;
    private final TagService tags;
    private final AccountSettingService accountSettings;
    private final ServiceService services;
    private final TaskSetService taskSets;
    private final CapacityProviderService capacityProviders;
    private final ServiceReconciler serviceReconciler;
    private final TaskRoles taskRoles;
    private final List<Taggable<?>> taggables;
    private final State state;
    private final Clock clock;

    /** Without role sessions: tasks with a task or execution role are refused. */
    public ControlPlane(State state, Clock clock, Endpoints endpoints) {
        this(state, clock, endpoints, TaskRoles.UNAVAILABLE);
    }

    /** @param roleSessions assumes the task and execution roles of the tasks placed */
    public ControlPlane(State state, Clock clock, Endpoints endpoints, RoleSessions roleSessions) {
        this(state, clock, endpoints, roleSessions, TaskNetworks.DEFAULT_RANGE);
    }

    /**
     * @param roleSessions assumes the task and execution roles of the tasks placed
     * @param taskNetworkRange where the address blocks of awsvpc tasks' subnets come from
     */
    public ControlPlane(State state, Clock clock, Endpoints endpoints, RoleSessions roleSessions,
            Cidr taskNetworkRange) {
        ClusterActivity activity = (region, cluster) -> {
            Tasks.Counts taskCounts = Tasks.counts(region, cluster);
            ClusterActivity.Fargate fargate = new ClusterActivity.Fargate(taskCounts.runningFargate(),
                    taskCounts.pendingFargate(), Services.countOnFargateIn(region, cluster, Services.ACTIVE),
                    Services.countOnFargateIn(region, cluster, Services.DRAINING));
            return new ClusterActivity.Counts(ContainerInstances.registeredCount(region, cluster),
                    taskCounts.running(), taskCounts.pending(), Services.countIn(region, cluster, Services.ACTIVE),
                    Services.countIn(region, cluster, Services.DRAINING), fargate);
        };
        this.clusters = new ClusterService(state, activity, CapacityProviders::exists);
        this.capacityProviders = new CapacityProviderService(state);
        this.taskDefinitions = new TaskDefinitionService(state, clock);
        this.containerInstances = new ContainerInstanceService(state, clock, endpoints);
        this.taskRoles = new TaskRoles(state, roleSessions, clock);
        this.tasks = new TaskService(state, clock, taskRoles, new TaskNetworks(state, taskNetworkRange));
        this.taggables = List.of(Clusters.TAGGABLE, TaskDefinitionTags.TAGGABLE, ContainerInstanceTags.TAGGABLE,
                TaskTags.TAGGABLE, Services.TAGGABLE, CapacityProviders.TAGGABLE);
        this.tags = new TagService(state, taggables);
        this.state = state;
        this.clock = clock;
        this.accountSettings = new AccountSettingService(state);
        this.services = new ServiceService(state, clock);
        this.taskSets = new TaskSetService(state, clock);
        this.serviceReconciler = new ServiceReconciler(state, clock, tasks);
    }

    public void addTo(Operations operations) {
        clusters.addTo(operations);
        taskDefinitions.addTo(operations);
        containerInstances.addTo(operations);
        tasks.addTo(operations);
        tags.addTo(operations);
        accountSettings.addTo(operations);
        services.addTo(operations);
        taskSets.addTo(operations);
        capacityProviders.addTo(operations);
    }

    /** IAM enforcement of this control plane's operations, deciding with the given authorizer. */
    public AccessControl accessControl(Authorizer authorizer) {
        return new AccessControl(state, taggables, authorizer, clock);
    }

    public ClusterService clusters() {
        return clusters;
    }

    public TaskDefinitionService taskDefinitions() {
        return taskDefinitions;
    }

    public ContainerInstanceService containerInstances() {
        return containerInstances;
    }

    public TaskService tasks() {
        return tasks;
    }

    /** The role credentials of tasks, which agents receive and get refreshed. */
    public TaskRoles taskRoles() {
        return taskRoles;
    }

    public ServiceService services() {
        return services;
    }

    public TaskSetService taskSets() {
        return taskSets;
    }

    /** The service scheduler's step, which the server runs on a schedule and after relevant commits. */
    public ServiceReconciler serviceReconciler() {
        return serviceReconciler;
    }
}
