package io.berth.agent.awsvpc;

import io.berth.agent.docker.BridgeNetwork;
import io.berth.agent.docker.ContainerListing;
import io.berth.agent.docker.ContainerRuntime;
import io.berth.agent.docker.RuntimeFailure;
import io.berth.model.acs.AcsTask;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The awsvpc networking of one engine: the pause image, the subnet networks its tasks share (each made and removed
 * under a lock of its own, so that two tasks of one subnet never race) and, at start, the sweep of what an earlier run
 * left behind. Pause containers carry {@value #OWNER_LABEL} naming the engine that made them, so engines sharing a
 * Docker daemon leave each other's alone.
 */
public final class TaskNetworks {

    private static final Logger LOG = LoggerFactory.getLogger(TaskNetworks.class);

    /** On every subnet network, with value {@code true}. */
    public static final String NETWORK_LABEL = "io.berth.awsvpc";
    /** On every pause container, with value {@code true}. */
    public static final String PAUSE_LABEL = "io.berth.awsvpc.pause";
    /** On every pause container: the ARN of its task. */
    public static final String TASK_LABEL = "io.berth.awsvpc.task";
    /** On every pause container: the container instance (or cluster) of the engine that made it. */
    public static final String OWNER_LABEL = "io.berth.awsvpc.owner";
    /**
     * What the official agent advertises for awsvpc on Linux, as far as it holds here: tasks get an interface of
     * their own. Not claimed: IPv6 ({@code task-eni.ipv6}), blocking instance metadata, ENI trunking and the CNI
     * plugin version, since this host has none of them.
     */
    public static final List<String> CAPABILITIES = List.of("ecs.capability.task-eni");
    /** The pause image, built by the agent itself. */
    public static final String PAUSE_IMAGE = "berth/pause:0.1.0";

    private final ContainerRuntime runtime;
    private final String owner;
    private final BridgeSetup bridges;
    private final Map<String, Object> networkLocks = new ConcurrentHashMap<>();
    /** Per network, the pause containers being started: Docker lists them on it only once they run. */
    private final Map<String, Integer> starts = new ConcurrentHashMap<>();
    private volatile boolean imageLoaded;

    /**
     * @param owner what names this engine among those sharing the daemon: its container instance ARN, or its
     *     cluster when it has none
     */
    public TaskNetworks(ContainerRuntime runtime, String owner, BridgeSetup bridges) {
        this.runtime = runtime;
        this.owner = owner;
        this.bridges = bridges;
    }

    /** The network of a task's containers; {@code pauseName} and {@code labels} name and label its pause container. */
    public TaskNetwork of(AcsTask task, String pauseName, Map<String, String> labels) {
        TaskInterface taskInterface = TaskInterface.of(task).orElse(null);
        if (taskInterface == null) {
            return TaskNetwork.AS_DEFINED;
        }
        Map<String, String> pauseLabels = new LinkedHashMap<>(labels);
        pauseLabels.put(PAUSE_LABEL, "true");
        pauseLabels.put(TASK_LABEL, task.arn());
        pauseLabels.put(OWNER_LABEL, owner);
        return new PauseNamespace(this, runtime, task, taskInterface, pauseName, pauseLabels);
    }

    /**
     * At engine start: loads the pause image, removes the pause containers this engine made for tasks it no longer
     * holds, and the subnet networks no container uses. A failure is logged: the first awsvpc task tries again.
     */
    public void start(Set<String> heldTaskArns) {
        try {
            ensureImage();
            for (ContainerListing pause : runtime.listByLabel(OWNER_LABEL, owner)) {
                String taskArn = pause.labels().get(TASK_LABEL);
                if ("true".equals(pause.labels().get(PAUSE_LABEL)) && !heldTaskArns.contains(taskArn)) {
                    LOG.info("Removing pause container {} of task {}, which this agent no longer holds", pause.id(),
                            taskArn);
                    runtime.remove(pause.id());
                }
            }
            for (String network : runtime.networks().namesByLabel(NETWORK_LABEL, "true")) {
                release(network);
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot sweep the awsvpc networks left by an earlier run: {}", e.getMessage());
        }
    }

    /** Loads the pause image, once per engine (a load of the same image again changes nothing). */
    void ensureImage() {
        if (imageLoaded) {
            return;
        }
        synchronized (this) {
            if (!imageLoaded) {
                PauseProgram program = PauseProgram.forThisHost();
                runtime.loadImage(ImageArchive.of(PAUSE_IMAGE, program.dockerArchitecture(), "pause",
                        program.executable()));
                imageLoaded = true;
                LOG.info("Loaded the pause image {}", PAUSE_IMAGE);
            }
        }
    }

    /** Loads the pause image again, as it is no longer there. */
    synchronized void reloadImage() {
        imageLoaded = false;
        ensureImage();
    }

    /**
     * Runs {@code use} on the task's subnet network, made first if need be, while no other task of this engine can
     * remove it. Should the network vanish under it all the same (removed by another agent on this daemon), it is
     * made again and {@code use} tried once more.
     */
    <T> T onNetwork(TaskInterface taskInterface, Function<BridgeNetwork, T> use) {
        synchronized (lock(taskInterface.networkName())) {
            try {
                return use.apply(ensureNetwork(taskInterface));
            } catch (RuntimeFailure e) {
                if (runtime.networks().inspect(taskInterface.networkName()).isPresent()) {
                    throw e;
                }
                return use.apply(ensureNetwork(taskInterface));
            }
        }
    }

    private BridgeNetwork ensureNetwork(TaskInterface taskInterface) {
        String name = taskInterface.networkName();
        BridgeNetwork network = runtime.networks().inspect(name).orElse(null);
        if (network == null) {
            runtime.networks().create(name, taskInterface.subnetCidr(), taskInterface.gateway(),
                    Map.of(NETWORK_LABEL, "true"));
            network = runtime.networks().inspect(name)
                    .orElseThrow(() -> new RuntimeFailure("Network " + name + " vanished right after it was made"));
            LOG.info("Made network {} for subnet {}", name, taskInterface.subnetCidr());
        }
        bridges.prepare(network.bridgeInterface());
        return network;
    }

    /** Marks a pause container starting on the network, which is kept until the returned action says it is over. */
    Runnable starting(String networkName) {
        starts.merge(networkName, 1, Integer::sum);
        return () -> starts.computeIfPresent(networkName, (name, count) -> count == 1 ? null : count - 1);
    }

    /** Removes the subnet network unless a container still uses it or is starting on it. */
    void release(String networkName) {
        synchronized (lock(networkName)) {
            if (starts.containsKey(networkName)) {
                return;
            }
            BridgeNetwork network = runtime.networks().inspect(networkName).orElse(null);
            if (network != null && network.containerIds().isEmpty() && runtime.networks().remove(networkName)) {
                LOG.info("Removed network {}: no container uses it any more", networkName);
            }
        }
    }

    private Object lock(String networkName) {
        return networkLocks.computeIfAbsent(networkName, name -> new Object());
    }
}
