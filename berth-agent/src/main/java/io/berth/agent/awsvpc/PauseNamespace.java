package io.berth.agent.awsvpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.agent.docker.ContainerListing;
import io.berth.agent.docker.ContainerRuntime;
import io.berth.agent.docker.ContainerState;
import io.berth.agent.docker.RuntimeFailure;
import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.PortMapping;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network namespace of one awsvpc task: a pause container on the subnet's network with the task's address and
 * MAC (and its host name, DNS settings and, with a public address asked for, every container port published on the
 * same host port), whose namespace the task's containers join, with its PID and IPC namespaces when the task's
 * {@code pidMode} or {@code ipcMode} is {@code task}. Found again by its labels after an agent restart.
 */
final class PauseNamespace implements TaskNetwork {

    private static final Logger LOG = LoggerFactory.getLogger(PauseNamespace.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** What Docker refuses together with a {@code container:} network mode, or has no meaning there. */
    private static final List<String> CONFIG_KEYS_OF_OWN_NETWORK = List.of("Hostname", "Domainname", "MacAddress",
            "ExposedPorts");
    private static final List<String> HOST_CONFIG_KEYS_OF_OWN_NETWORK = List.of("PortBindings", "PublishAllPorts",
            "Links", "Dns", "DnsSearch", "DnsOptions", "ExtraHosts");

    private final TaskNetworks networks;
    private final ContainerRuntime runtime;
    private final AcsTask task;
    private final TaskInterface taskInterface;
    private final String pauseName;
    private final Map<String, String> labels;
    private String pauseId;
    private CompletableFuture<Void> starting;
    private boolean confirmed;
    private Consumer<String> attached;
    private boolean tornDown;

    PauseNamespace(TaskNetworks networks, ContainerRuntime runtime, AcsTask task, TaskInterface taskInterface,
            String pauseName, Map<String, String> labels) {
        this.networks = networks;
        this.runtime = runtime;
        this.task = task;
        this.taskInterface = taskInterface;
        this.pauseName = pauseName;
        this.labels = Map.copyOf(labels);
    }

    @Override
    public void setUp(boolean containersCreated, Consumer<String> attached) {
        if (pauseId != null) {
            return;
        }
        try {
            networks.ensureImage();
            pauseId = networks.onNetwork(taskInterface, network -> pause(containersCreated));
        } catch (NetworkSetupException e) {
            throw e;
        } catch (RuntimeException e) {
            throw setupFailure(e);
        }
        tornDown = false;
        confirmed = false;
        this.attached = attached;
        if (starting.isDone()) {
            // adopted running: nothing to wait for
            awaitRunning();
        }
    }

    /**
     * The task's pause container: the one an earlier run made when it still can be, else a new one; one not running
     * yet is started in the background while the task's containers are created, which needs it to exist only.
     */
    private String pause(boolean containersCreated) {
        ContainerListing existing = existingPause();
        if (existing != null) {
            ContainerState state = runtime.inspect(existing.id()).orElse(null);
            if (state != null && state.running()) {
                starting = CompletableFuture.completedFuture(null);
                return existing.id();
            }
            if (state != null && !state.exited()) {
                return startInBackground(existing.id());
            }
            if (containersCreated) {
                throw new NetworkSetupException("ResourceInitializationError: the task's network namespace is gone "
                        + "(its pause container stopped)");
            }
            runtime.remove(existing.id());
        }
        String id;
        try {
            id = runtime.create(pauseName, pauseBody());
        } catch (RuntimeFailure e) {
            if (runtime.imageExists(TaskNetworks.PAUSE_IMAGE)) {
                throw e;
            }
            // someone removed the image since the engine loaded it
            networks.reloadImage();
            id = runtime.create(pauseName, pauseBody());
        }
        return startInBackground(id);
    }

    /** Starts the pause container on a thread of its own; its network is kept until the start is over. */
    private String startInBackground(String id) {
        Runnable done = networks.starting(taskInterface.networkName());
        CompletableFuture<Void> start = new CompletableFuture<>();
        starting = start;
        Thread.ofVirtual().name("pause-start-" + id.substring(0, 12)).start(() -> {
            try {
                runtime.start(id);
                start.complete(null);
            } catch (RuntimeException e) {
                start.completeExceptionally(e);
            } finally {
                done.run();
            }
        });
        return id;
    }

    @Override
    public void awaitRunning() {
        if (pauseId == null || confirmed) {
            return;
        }
        try {
            starting.join();
        } catch (CompletionException e) {
            throw setupFailure(e.getCause());
        }
        confirmed = true;
        LOG.info("Task {}: network namespace up, {} on {} (pause container {})", task.arn(), taskInterface.address(),
                taskInterface.networkName(), pauseId);
        if (taskInterface.attachmentArn() != null) {
            attached.accept(taskInterface.attachmentArn());
        }
    }

    private static NetworkSetupException setupFailure(Throwable cause) {
        return new NetworkSetupException("ResourceInitializationError: cannot set up the task's network: "
                + cause.getMessage(), cause);
    }

    private ContainerListing existingPause() {
        return runtime.listByLabel(TaskNetworks.TASK_LABEL, task.arn()).stream()
                .filter(c -> "true".equals(c.labels().get(TaskNetworks.PAUSE_LABEL))).findFirst().orElse(null);
    }

    private ObjectNode pauseBody() {
        ObjectNode body = JSON.objectNode();
        body.put("Image", TaskNetworks.PAUSE_IMAGE);
        if (taskInterface.privateDnsName() != null) {
            body.put("Hostname", taskInterface.privateDnsName());
        }
        body.put("MacAddress", taskInterface.macAddress());
        ObjectNode labelNode = body.putObject("Labels");
        labels.forEach(labelNode::put);
        ObjectNode host = body.putObject("HostConfig");
        host.put("NetworkMode", taskInterface.networkName());
        if ("task".equals(task.ipcMode())) {
            host.put("IpcMode", "shareable");
        }
        strings(host.putArray("Dns"), taskInterface.dnsServers());
        strings(host.putArray("DnsSearch"), taskInterface.dnsSearch());
        if (taskInterface.privateDnsName() != null) {
            host.putArray("ExtraHosts").add(taskInterface.privateDnsName() + ":" + taskInterface.address());
        }
        if (taskInterface.publishPorts()) {
            ObjectNode exposed = body.putObject("ExposedPorts");
            ObjectNode bindings = host.putObject("PortBindings");
            for (String port : containerPorts()) {
                exposed.putObject(port);
                bindings.putArray(port).addObject().put("HostIp", "").put("HostPort", port.substring(0,
                        port.indexOf('/')));
            }
        }
        ObjectNode endpoint = body.putObject("NetworkingConfig").putObject("EndpointsConfig")
                .putObject(taskInterface.networkName());
        endpoint.putObject("IPAMConfig").put("IPv4Address", taskInterface.address());
        endpoint.put("MacAddress", taskInterface.macAddress());
        return body;
    }

    /** Every port of the task's containers, as {@code port/protocol}; a range stands for each of its ports. */
    private Set<String> containerPorts() {
        Set<String> ports = new LinkedHashSet<>();
        for (AcsContainer container : task.containers()) {
            if (container.portMappings() == null) {
                continue;
            }
            for (PortMapping mapping : container.portMappings()) {
                String protocol = mapping.protocol() == null ? "tcp" : mapping.protocol();
                if (mapping.containerPort() != null) {
                    ports.add(mapping.containerPort() + "/" + protocol);
                } else if (mapping.containerPortRange() != null && mapping.containerPortRange().matches("\\d+-\\d+")) {
                    String[] bounds = mapping.containerPortRange().split("-");
                    int last = Math.min(Integer.parseInt(bounds[1]), 65535);
                    for (int port = Integer.parseInt(bounds[0]); port <= last; port++) {
                        ports.add(port + "/" + protocol);
                    }
                }
            }
        }
        return ports;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    @Override
    public void check() {
        if (pauseId == null || tornDown || !starting.isDone()) {
            return;
        }
        ContainerState state = runtime.inspect(pauseId).orElse(null);
        if (state == null || !state.running()) {
            throw new NetworkSetupException("ResourceInitializationError: the task's network namespace is gone "
                    + "(its pause container stopped)");
        }
    }

    @Override
    public void join(ObjectNode createBody) {
        if (pauseId == null) {
            throw new NetworkSetupException("The task's network namespace is not set up");
        }
        CONFIG_KEYS_OF_OWN_NETWORK.forEach(createBody::remove);
        ObjectNode host = createBody.get("HostConfig") instanceof ObjectNode existing ? existing
                : createBody.putObject("HostConfig");
        HOST_CONFIG_KEYS_OF_OWN_NETWORK.forEach(host::remove);
        host.put("NetworkMode", "container:" + pauseId);
        // "task" shares the namespace among the task's containers: the pause container holds it too
        namespaceMode(task.pidMode(), List.of("host")).ifPresent(mode -> host.put("PidMode", mode));
        namespaceMode(task.ipcMode(), List.of("host", "none")).ifPresent(mode -> host.put("IpcMode", mode));
    }

    /** The Docker mode for a task's {@code pidMode} or {@code ipcMode}: {@code task}, or one Docker takes as is. */
    private Optional<String> namespaceMode(String taskMode, List<String> dockerModes) {
        if ("task".equals(taskMode)) {
            return Optional.of("container:" + pauseId);
        }
        return taskMode != null && dockerModes.contains(taskMode) ? Optional.of(taskMode) : Optional.empty();
    }

    @Override
    public void tearDown() {
        if (tornDown) {
            return;
        }
        if (starting != null) {
            // a start still under way would race the removal
            starting.exceptionally(e -> null).join();
        }
        ContainerListing pause = existingPause();
        if (pause != null) {
            // killed, not stopped: the pause program ignores SIGTERM
            runtime.remove(pause.id());
            LOG.info("Task {}: removed pause container {}", task.arn(), pause.id());
        }
        networks.release(taskInterface.networkName());
        pauseId = null;
        tornDown = true;
    }
}
