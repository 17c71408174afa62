package io.berth.control.agent;

import io.berth.control.Scope;
import io.berth.control.network.TaskNetworks;
import io.berth.control.state.Change;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.task.LiveTasksByInstance;
import io.berth.control.task.TaskRoles;
import io.berth.control.task.Tasks;
import io.berth.control.taskdef.TaskDefinitions;
import io.berth.model.Arns;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.IAMRoleCredentialsMessage;
import io.berth.model.acs.IamRoleCredentials;
import io.berth.model.acs.TaskIdentifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * Tells agents what to run. Every committed task that is new on an instance, or whose desired
 * status changed, goes to that instance's agent; on (re)connection an agent gets every task it
 * should know about, and the periodic manifest lists them so a missed stop still converges.
 */
public final class AgentDispatch {

    private static final String STOPPED = "STOPPED";

    private final State state;
    private final AgentLink link;
    private final TaskPayloads payloads = new TaskPayloads();
    private final TaskRoles roles;

    /** @param roles the role credentials that go with the tasks (the control plane's) */
    public AgentDispatch(State state, AgentLink link, TaskRoles roles) {
        this.state = state;
        this.link = link;
        this.roles = roles;
        state.onCommit(this::onCommit);
    }

    private void onCommit(List<Change> changes) {
        Map<String, List<AcsTask>> byInstance = new LinkedHashMap<>();
        Scope scope = null;
        for (Change change : changes) {
            if (!change.is(Tasks.KIND) || change.after() == null) {
                continue;
            }
            Task before = change.before(Tasks.KIND);
            Task after = change.after(Tasks.KIND);
            if (after.containerInstanceArn() == null) {
                continue;
            }
            if (STOPPED.equals(after.lastStatus())) {
                roles.forget(state.region(change.scope()), after);
            }
            boolean placed = before == null;
            boolean desireChanged = before != null && !Objects.equals(before.desiredStatus(), after.desiredStatus());
            if (placed || desireChanged) {
                scope = change.scope();
                toPayload(state.region(change.scope()), after)
                        .ifPresent(t -> byInstance.computeIfAbsent(after.containerInstanceArn(), k -> new ArrayList<>()).add(t));
            }
        }
        for (Map.Entry<String, List<AcsTask>> entry : byInstance.entrySet()) {
            link.send(scope, entry.getKey(), entry.getValue());
        }
    }

    /** Every task the agent of this instance should hold: not yet reported STOPPED. */
    public List<AcsTask> tasksFor(Scope scope, String containerInstanceArn) {
        Region region = state.region(scope);
        List<AcsTask> tasks = new ArrayList<>();
        for (Task task : liveTasks(region, containerInstanceArn)) {
            toPayload(region, task).ifPresent(tasks::add);
        }
        return tasks;
    }

    /** The role credentials of every live task on the instance, which an agent asks for after it starts. */
    public List<IAMRoleCredentialsMessage> credentialsFor(Scope scope, String containerInstanceArn) {
        Region region = state.region(scope);
        return roles.messagesFor(region, liveTasks(region, containerInstanceArn));
    }

    /** Sends fresh credentials for the tasks whose credentials are due for a refresh. */
    public void refreshCredentials() {
        for (TaskRoles.Refresh refresh : roles.refreshDue()) {
            link.sendCredentials(refresh.scope(), refresh.containerInstanceArn(), refresh.message());
        }
    }

    /** The manifest of an instance: each live task with the status the control plane wants. */
    public List<TaskIdentifier> manifest(Scope scope, String containerInstanceArn) {
        return liveTasks(state.region(scope), containerInstanceArn).stream()
                .map(t -> new TaskIdentifier(t.taskArn(), t.clusterArn(), t.desiredStatus()))
                .toList();
    }

    /** Of the tasks an agent offers to stop, those the control plane does not want running. */
    public List<TaskIdentifier> confirmStops(Scope scope, List<TaskIdentifier> candidates) {
        Region region = state.region(scope);
        List<TaskIdentifier> stops = new ArrayList<>();
        for (TaskIdentifier candidate : candidates) {
            Optional<Task> task = find(region, candidate.taskArn());
            if (task.isEmpty() || STOPPED.equals(task.get().desiredStatus())) {
                stops.add(new TaskIdentifier(candidate.taskArn(), candidate.taskClusterArn(), STOPPED));
            }
        }
        return stops;
    }

    private static List<Task> liveTasks(Region region, String containerInstanceArn) {
        return List.copyOf(LiveTasksByInstance.of(region, containerInstanceArn));
    }

    private static Optional<Task> find(Region region, String taskArn) {
        // task/<cluster>/<id>
        String resource = Arns.resource(taskArn).orElse("");
        if (!resource.startsWith("task/")) {
            return Optional.empty();
        }
        return region.get(Tasks.KIND, resource.substring("task/".length()));
    }

    private Optional<AcsTask> toPayload(Region region, Task task) {
        Optional<TaskDefinition> definition = TaskDefinitions.resolve(region, task.taskDefinitionArn());
        return definition.map(d -> withCredentials(region, task,
                payloads.build(task, d, task.desiredStatus(), TaskNetworks.interfaceOf(region, task))));
    }

    /** A task the agent should run carries its roles' credentials; a stop needs none. */
    private AcsTask withCredentials(Region region, Task task, AcsTask payload) {
        if (STOPPED.equals(task.desiredStatus())) {
            return payload;
        }
        IamRoleCredentials role = roles.current(region, task, TaskRoles.TASK_APPLICATION).orElse(null);
        IamRoleCredentials execution = roles.current(region, task, TaskRoles.TASK_EXECUTION).orElse(null);
        return role == null && execution == null ? payload : payload.withCredentials(role, execution);
    }
}
