package io.berth.control.instance;

import io.berth.control.Scope;
import io.berth.control.state.State;
import io.berth.model.EcsException;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.VersionInfo;

/**
 * Whether an instance's agent is connected, as its ACS session opens and closes: shown by
 * {@code agentConnected}, with the agent's and Docker's versions from the session.
 */
public final class AgentPresence {

    private final State state;

    public AgentPresence(State state) {
        this.state = state;
    }

    /** The state of a scope, to look an instance up before a session opens. */
    public io.berth.control.state.Region region(Scope scope) {
        return state.region(scope);
    }

    /**
     * Records an opened session. An instance that is unknown, of another cluster, or no longer
     * ACTIVE or DRAINING answers InactiveInstanceException, which tells an agent it was deregistered.
     */
    public ContainerInstance connected(Scope scope, String clusterRef, String containerInstanceArn, VersionInfo versions) {
        return state.write(scope, tx -> {
            ContainerInstance instance = lookup(tx, clusterRef, containerInstanceArn)
                    .filter(i -> ContainerInstances.ACTIVE.equals(i.status())
                            || ContainerInstances.DRAINING.equals(i.status()))
                    .orElseThrow(() -> new EcsException("InactiveInstanceException", 400,
                            "Container instance " + containerInstanceArn + " is not active in cluster " + clusterRef + "."));
            ContainerInstance.Builder updated = instance.toBuilder().agentConnected(true);
            if (versions != null && versions.agentVersion() != null) {
                updated.versionInfo(versions);
            }
            ContainerInstance result = updated.version(instance.version() + 1).build();
            tx.put(ContainerInstances.KIND, keyOf(result), result);
            return result;
        });
    }

    /** Records a closed session; nothing happens if the instance is gone. */
    public void disconnected(Scope scope, String containerInstanceArn) {
        state.write(scope, tx -> {
            lookup(tx, null, containerInstanceArn)
                    .filter(i -> Boolean.TRUE.equals(i.agentConnected()))
                    .ifPresent(i -> tx.put(ContainerInstances.KIND, keyOf(i),
                            i.toBuilder().agentConnected(false).version(i.version() + 1).build()));
            return null;
        });
    }

    /** At start no session exists yet, whatever was stored when the server stopped. */
    public void noneConnected() {
        for (Scope scope : state.scopes()) {
            state.write(scope, tx -> {
                for (ContainerInstance instance : tx.region().all(ContainerInstances.KIND)) {
                    if (Boolean.TRUE.equals(instance.agentConnected())) {
                        tx.put(ContainerInstances.KIND, keyOf(instance), instance.toBuilder().agentConnected(false).build());
                    }
                }
                return null;
            });
        }
    }

    private static Optional<ContainerInstance> lookup(io.berth.control.state.Transaction tx, String clusterRef,
            String arn) {
        Optional<String> cluster = ContainerInstances.clusterNameOf(arn);
        if (cluster.isEmpty() || (clusterRef != null && !clusterRef.isEmpty()
                && !io.berth.control.cluster.Clusters.nameOf(tx.scope(), clusterRef).equals(cluster))) {
            return Optional.empty();
        }
        return ContainerInstances.find(tx, cluster.get(), arn);
    }

    private static String keyOf(ContainerInstance instance) {
        return ContainerInstances.keyOf(instance.containerInstanceArn());
    }
}
