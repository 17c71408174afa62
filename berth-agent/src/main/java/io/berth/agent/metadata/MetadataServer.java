package io.berth.agent.metadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.berth.agent.acs.TaskCredentials;
import io.berth.agent.awsvpc.TaskInterface;
import io.berth.agent.docker.PortBinding;
import io.berth.agent.engine.ContainerRecord;
import io.berth.agent.engine.EcsLabels;
import io.berth.agent.engine.TaskEngine;
import io.berth.agent.engine.TaskRecord;
import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.IamRoleCredentials;
import io.berth.model.acs.PortMapping;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task metadata endpoint containers reach through {@code ECS_CONTAINER_METADATA_URI_V4}: {@code /v4/<id>} and
 * {@code /v4/<id>/task} (and the same under {@code /v3}), plus role credentials under {@code /v2/credentials/<id>}
 * and {@code /v1/credentials?id=<id>}. {@code <id>} is the per-container endpoint id the engine generates.
 */
public final class MetadataServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataServer.class);

    /** The tasks of one agent the endpoint answers for: a host may run a second agent that shares the endpoint. */
    private record Source(TaskEngine engine, TaskCredentials credentials, String cluster) {
    }

    private final HttpServer server;
    private final List<Source> sources = new CopyOnWriteArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    private MetadataServer(HttpServer server, TaskEngine engine, TaskCredentials credentials, String cluster) {
        this.server = server;
        sources.add(new Source(engine, credentials, cluster));
    }

    /** Also answers for the tasks of another agent of this host, whose containers reach this same endpoint. */
    public void alsoServe(TaskEngine engine, TaskCredentials credentials, String cluster) {
        sources.add(new Source(engine, credentials, cluster));
    }

    /** Stops answering for an agent's tasks, when that agent stops. */
    public void stopServing(TaskEngine engine) {
        sources.removeIf(source -> source.engine() == engine);
    }

    public static MetadataServer start(InetSocketAddress address, TaskEngine engine, TaskCredentials credentials,
            String cluster) {
        try {
            HttpServer http = HttpServer.create(address, 0);
            MetadataServer server = new MetadataServer(http, engine, credentials, cluster);
            http.createContext("/", server::handle);
            http.setExecutor(Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().name("metadata").factory()));
            http.start();
            LOG.info("Task metadata endpoint listening on {}", http.getAddress());
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the task metadata endpoint on " + address, e);
        }
    }

    /** The address actually bound (useful with port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                respond(exchange, 405, error("MethodNotAllowed", "Only GET is supported"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String[] parts = path.replaceAll("^/+|/+$", "").split("/");
            if (parts.length == 3 && parts[0].equals("v2") && parts[1].equals("credentials")) {
                credentials(exchange, parts[2]);
            } else if (parts.length == 2 && parts[0].equals("v1") && parts[1].equals("credentials")) {
                String query = Optional.ofNullable(exchange.getRequestURI().getQuery()).orElse("");
                String id = query.startsWith("id=") ? query.substring(3) : null;
                credentials(exchange, id);
            } else if ((parts.length == 2 || parts.length == 3) && (parts[0].equals("v4") || parts[0].equals("v3"))) {
                metadata(exchange, parts[1], parts.length == 3 ? parts[2] : null);
            } else {
                respond(exchange, 404, error("NotFound", "No such route: " + path));
            }
        } catch (RuntimeException e) {
            LOG.warn("Task metadata request failed: {}", e.getMessage(), e);
        }
    }

    private void credentials(HttpExchange exchange, String id) throws IOException {
        Optional<IamRoleCredentials> found = sources.stream().map(s -> s.credentials().get(id))
                .flatMap(Optional::stream).findFirst();
        if (found.isEmpty()) {
            ObjectNode body = error("InvalidIdInRequest", "CredentialsV2Request: Credentials not found");
            body.put("HTTPErrorCode", 400);
            respond(exchange, 400, body);
            return;
        }
        IamRoleCredentials role = found.get();
        ObjectNode body = json.createObjectNode();
        body.put("RoleArn", role.roleArn());
        body.put("AccessKeyId", role.accessKeyId());
        body.put("SecretAccessKey", role.secretAccessKey());
        body.put("Token", role.sessionToken());
        body.put("Expiration", role.expiration());
        respond(exchange, 200, body);
    }

    private void metadata(HttpExchange exchange, String endpointId, String what) throws IOException {
        for (Source source : sources) {
            String cluster = source.cluster();
            for (TaskRecord task : source.engine().tasks()) {
                for (ContainerRecord container : task.containers()) {
                    if (!endpointId.equals(container.endpointId())) {
                        continue;
                    }
                    if (what == null) {
                        respond(exchange, 200, containerDocument(task, container, cluster));
                    } else if (what.equals("task")) {
                        respond(exchange, 200, taskDocument(task, cluster));
                    } else {
                        respond(exchange, 404, error("NotFound", "Unsupported metadata path " + what));
                    }
                    return;
                }
            }
        }
        respond(exchange, 404, error("NotFound", "No container with metadata id " + endpointId));
    }

    private ObjectNode taskDocument(TaskRecord task, String cluster) {
        ObjectNode body = json.createObjectNode();
        body.put("Cluster", cluster);
        body.put("TaskARN", task.arn());
        body.put("Family", task.task().family());
        body.put("Revision", task.task().version());
        body.put("DesiredStatus", task.desiredStatus());
        body.put("KnownStatus", task.knownStatus().name());
        ArrayNode containers = body.putArray("Containers");
        task.containers().forEach(c -> containers.add(containerDocument(task, c, cluster)));
        ObjectNode limits = body.putObject("Limits");
        if (task.task().cpu() != null) {
            limits.put("CPU", task.task().cpu());
        }
        if (task.task().memory() != null) {
            limits.put("Memory", task.task().memory());
        }
        time(body, "PullStartedAt", task.pullStartedAt());
        time(body, "PullStoppedAt", task.pullStoppedAt());
        time(body, "ExecutionStoppedAt", task.executionStoppedAt());
        body.put("AvailabilityZone", task.task().zone());
        body.put("LaunchType", task.task().launchType() == null ? "EC2" : task.task().launchType());
        return body;
    }

    private ObjectNode containerDocument(TaskRecord task, ContainerRecord container, String cluster) {
        AcsContainer definition = task.task().containers().stream()
                .filter(c -> c.name().equals(container.name())).findFirst().orElseThrow();
        ObjectNode body = json.createObjectNode();
        body.put("DockerId", container.dockerId());
        body.put("Name", container.name());
        body.put("DockerName", container.dockerName());
        body.put("Image", container.image());
        ObjectNode labels = body.putObject("Labels");
        labels.put(EcsLabels.CLUSTER, cluster);
        labels.put(EcsLabels.CONTAINER_NAME, container.name());
        labels.put(EcsLabels.TASK_ARN, task.arn());
        labels.put(EcsLabels.FAMILY, task.task().family());
        labels.put(EcsLabels.VERSION, task.task().version());
        body.put("DesiredStatus", task.desiredStatus());
        body.put("KnownStatus", container.knownStatus().name());
        if (container.exitCode() != null) {
            body.put("ExitCode", container.exitCode());
        }
        ObjectNode limits = body.putObject("Limits");
        limits.put("CPU", definition.cpu() == null ? 0 : definition.cpu());
        if (definition.memory() != null) {
            limits.put("Memory", definition.memory());
        }
        time(body, "CreatedAt", container.createdAt());
        time(body, "StartedAt", container.startedAt());
        time(body, "FinishedAt", container.finishedAt());
        body.put("Type", "NORMAL");
        ArrayNode ports = body.putArray("Ports");
        for (PortBinding port : container.ports()) {
            ObjectNode entry = ports.addObject();
            entry.put("ContainerPort", port.containerPort());
            entry.put("Protocol", port.protocol());
            entry.put("HostPort", port.hostPort());
            entry.put("HostIp", port.hostIp());
        }
        if (TaskInterface.AWSVPC.equals(task.task().networkMode()) && definition.portMappings() != null) {
            // Docker binds nothing to these containers: their ports are the task interface's, as ECS shows them
            for (PortMapping mapping : definition.portMappings()) {
                if (mapping.containerPort() != null) {
                    ports.addObject().put("ContainerPort", mapping.containerPort())
                            .put("Protocol", mapping.protocol() == null ? "tcp" : mapping.protocol())
                            .put("HostPort", mapping.containerPort());
                }
            }
        }
        network(body.putArray("Networks").addObject(), task);
        if (definition.containerArn() != null) {
            body.put("ContainerARN", definition.containerArn());
        }
        return body;
    }

    /** The task's network; an awsvpc task's shows its interface, as ECS shows the task's ENI. */
    private static void network(ObjectNode network, TaskRecord task) {
        network.put("NetworkMode", task.task().networkMode() == null ? "bridge" : task.task().networkMode());
        TaskInterface taskInterface = TaskInterface.of(task.task()).orElse(null);
        if (taskInterface == null) {
            return;
        }
        network.putArray("IPv4Addresses").add(taskInterface.address());
        network.put("AttachmentIndex", 0);
        network.put("MACAddress", taskInterface.macAddress());
        network.put("IPv4SubnetCIDRBlock", taskInterface.subnetCidr());
        if (!taskInterface.dnsServers().isEmpty()) {
            taskInterface.dnsServers().forEach(network.putArray("DomainNameServers")::add);
        }
        if (!taskInterface.dnsSearch().isEmpty()) {
            taskInterface.dnsSearch().forEach(network.putArray("DomainNameSearchList")::add);
        }
        if (taskInterface.privateDnsName() != null) {
            network.put("PrivateDNSName", taskInterface.privateDnsName());
        }
        network.put("SubnetGatewayIpv4Address", taskInterface.gatewayWithPrefix());
    }

    private static void time(ObjectNode body, String field, Instant instant) {
        if (instant != null) {
            body.put(field, instant.toString());
        }
    }

    private ObjectNode error(String code, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("code", code);
        body.put("message", message);
        return body;
    }

    private void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

}
