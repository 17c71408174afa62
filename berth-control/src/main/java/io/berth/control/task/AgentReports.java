package io.berth.control.task;

import io.berth.control.Caller;
import io.berth.control.Scope;
import io.berth.control.cluster.Clusters;
import io.berth.control.fargate.FargatePool;
import io.berth.control.instance.ContainerInstances;
import io.berth.control.network.TaskNetworks;
import io.berth.control.placement.Claim;
import io.berth.control.placement.Claims;
import io.berth.control.placement.Ledger;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.state.Transaction;
import io.berth.control.taskdef.TaskDefinitions;
import io.berth.model.EcsException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerStateChange;
import software.amazon.awssdk.services.ecs.model.SubmitAttachmentStateChangesRequest;
import software.amazon.awssdk.services.ecs.model.SubmitAttachmentStateChangesResponse;
import software.amazon.awssdk.services.ecs.model.SubmitContainerStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.SubmitContainerStateChangeResponse;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeResponse;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The agents' state reports (SubmitTaskStateChange, SubmitContainerStateChange, SubmitAttachmentStateChanges):
 * they move a task's last status forwards, and the first STOPPED gives its claim back to its instance.
 */
final class AgentReports {

    private static final int MAX_REPORT_REASON = 1024;
    private static final String ACK = "ACK";

    private final State state;
    private final Clock clock;

    AgentReports(State state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    SubmitTaskStateChangeResponse submitTaskStateChange(Caller caller, SubmitTaskStateChangeRequest request) {
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
        apply(caller.scope(), request.cluster(), request.task(), report);
        return SubmitTaskStateChangeResponse.builder().acknowledgment(ACK).build();
    }

    SubmitContainerStateChangeResponse submitContainerStateChange(Caller caller,
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
        apply(caller.scope(), request.cluster(), request.task(),
                new TaskLifecycle.Report(null, null, List.of(change), null, null, null, List.of()));
        return SubmitContainerStateChangeResponse.builder().acknowledgment(ACK).build();
    }

    /**
     * Instance-level attachments (ENIs, volumes) are not modelled yet and no task carries an
     * attachment, so there is nothing to record; the report is acknowledged so the agent stops
     * resending it.
     */
    SubmitAttachmentStateChangesResponse submitAttachmentStateChanges(Caller caller,
            SubmitAttachmentStateChangesRequest request) {
        if (!request.hasAttachments() || request.attachments().isEmpty()) {
            throw EcsException.invalidParameter("attachments can not be empty.");
        }
        return SubmitAttachmentStateChangesResponse.builder().acknowledgment(ACK).build();
    }

    private void apply(Scope scope, String clusterRef, String taskRef, TaskLifecycle.Report report) {
        if (taskRef == null || taskRef.isEmpty()) {
            throw EcsException.invalidParameter("task can not be blank.");
        }
        Optional<String> named = Clusters.nameOf(scope, clusterRef);
        Optional<String> owning = Tasks.clusterOf(scope, taskRef);
        // The request is authorized against the cluster it names, so that is the only cluster it may change (the
        // Fargate pool's hosts report on the tasks placed on them, which mayReport checks below).
        if (owning.isPresent() && !owning.equals(named) && !FargatePool.isPool(scope, clusterRef)) {
            throw EcsException.invalidParameter("The referenced task does not belong to the cluster the request names.");
        }
        String clusterName = owning.or(() -> named)
                .orElseThrow(() -> EcsException.invalidParameter("The referenced task was not found."));
        Region region = state.region(scope);
        Set<String> essential = Tasks.find(region, clusterName, taskRef)
                .flatMap(task -> TaskDefinitions.resolve(region, task.taskDefinitionArn()))
                .map(Tasks::essentialContainers)
                .orElse(null);
        state.write(scope, tx -> {
            Task task = Tasks.find(tx.region(), clusterName, taskRef)
                    .flatMap(t -> tx.get(Tasks.KIND, Tasks.key(clusterName, t)))
                    .filter(t -> FargatePool.mayReport(scope, clusterRef, t.containerInstanceArn()))
                    .orElseThrow(() -> EcsException.invalidParameter("The referenced task was not found."));
            // Without its definition every container counts as essential, as ECS assumes by default.
            Set<String> essentialNames = essential != null ? essential
                    : task.containers().stream().map(Container::name).collect(Collectors.toSet());
            Task updated = TaskLifecycle.report(task, report, essentialNames, clock.instant());
            if (updated == task) {
                return null;
            }
            tx.put(Tasks.KIND, Tasks.key(clusterName, updated), updated);
            if (Tasks.STOPPED.equals(updated.lastStatus()) && !Tasks.STOPPED.equals(task.lastStatus())) {
                release(tx, clusterName, updated);
            }
            return null;
        });
    }

    /** Gives a stopped task's claim back to its instance; the claim is deleted, so this happens once. */
    private static void release(Transaction tx, String clusterName, Task task) {
        TaskNetworks.release(tx, task);
        String taskKey = Tasks.key(clusterName, task);
        Optional<Claim> claim = tx.get(Claims.KIND, taskKey);
        if (claim.isEmpty()) {
            return;
        }
        tx.delete(Claims.KIND, taskKey);
        // The instance's own cluster, which is the Fargate pool for a Fargate task.
        String instanceKey = ContainerInstances.keyOf(claim.get().containerInstanceArn());
        tx.get(ContainerInstances.KIND, instanceKey).ifPresent(instance ->
                tx.put(ContainerInstances.KIND, instanceKey, Ledger.release(instance, claim.get())));
    }
}
