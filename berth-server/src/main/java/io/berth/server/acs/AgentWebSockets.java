package io.berth.server.acs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.control.Caller;
import io.berth.control.Scope;
import io.berth.control.access.AccessControl;
import io.berth.control.access.RequestOrigin;
import io.berth.control.agent.AgentDispatch;
import io.berth.control.instance.AgentPresence;
import io.berth.control.cluster.Clusters;
import io.berth.control.instance.ContainerInstances;
import io.berth.control.task.TaskService;
import io.berth.model.EcsException;
import io.berth.model.Ids;
import io.berth.model.acs.AcsCodec;
import io.berth.server.auth.Authenticator;
import io.berth.server.auth.Identity;
import io.berth.server.auth.SigV4Verifier;
import io.berth.server.auth.SignedRequest;
import io.berth.server.http.RequestLogContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import software.amazon.awssdk.services.ecs.model.VersionInfo;

/**
 * The agents' websockets at {@code /ws}: the ACS session (query {@code clusterArn},
 * {@code containerInstanceArn}) and the telemetry session (query {@code cluster},
 * {@code containerInstance}). Both upgrades are SigV4-signed and authorized ({@code ecs:Poll},
 * {@code ecs:StartTelemetrySession}); an instance that is not registered and active is refused with
 * InactiveInstanceException, which tells an agent it was deregistered.
 */
public final class AgentWebSockets {

    private static final String DOCKER_VERSION_PREFIX = "DockerVersion: ";
    private static final String CURRENT = AgentWebSockets.class.getName() + ".current";
    private static final String MAPPED = AgentWebSockets.class.getName() + ".mapped";

    private final Authenticator authenticator;
    private final AccessControl access;
    private final AcsSessions sessions;
    private final AgentDispatch dispatch;
    private final AgentPresence presence;
    private final Clock clock;
    private final String partition;
    private final AcsCodec codec = new AcsCodec();
    private final ObjectMapper json = new ObjectMapper();
    private final TaskService taskHealth;

    /** @param taskHealth records the container health agents publish over telemetry */
    public AgentWebSockets(Authenticator authenticator, AccessControl access, AcsSessions sessions,
            AgentDispatch dispatch, AgentPresence presence, Clock clock, String partition, TaskService taskHealth) {
        this.taskHealth = taskHealth;
        this.authenticator = authenticator;
        this.access = access;
        this.sessions = sessions;
        this.dispatch = dispatch;
        this.presence = presence;
        this.clock = clock;
        this.partition = partition;
    }

    /**
     * A handler that upgrades {@code /ws} and passes every other request to {@code next}. Jetty keeps one websocket
     * container per server, whose mappings cannot be taken back: a node that leads several times in its life maps
     * {@code /ws} once, to whichever of these answers agents at the moment (a server attribute), and each term's
     * handler makes itself that one when it starts.
     */
    public Handler handler(Server server, Handler next) {
        WebSocketUpgradeHandler upgrades = WebSocketUpgradeHandler.from(server, container -> {
            server.setAttribute(CURRENT, this);
            if (server.getAttribute(MAPPED) == null) {
                server.setAttribute(MAPPED, Boolean.TRUE);
                container.setIdleTimeout(Duration.ofMinutes(5));
                container.setMaxTextMessageSize(4 * 1024 * 1024);
                container.addMapping("/ws", (request, response, callback) ->
                        ((AgentWebSockets) server.getAttribute(CURRENT)).upgrade(request, response, callback));
            }
        });
        upgrades.setHandler(next);
        return upgrades;
    }

    private Object upgrade(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        // The upgrade's log lines carry an id of their own, as every request's do.
        RequestLogContext.enter(Ids.uuid());
        Fields query = org.eclipse.jetty.server.Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        try {
            SignedRequest signed = new SignedRequest("GET", request.getHttpURI().getPath(),
                    request.getHttpURI().getQuery(), SignedRequest.headersOf(request.getHeaders()), new byte[0]);
            Identity identity = authenticator.authenticate(signed);
            SigV4Verifier.requireService(signed, "ecs");
            Scope scope = new Scope(partition, identity.accountId(), identity.region());
            Caller caller = new Caller(scope, identity.principalArn());
            RequestOrigin origin = new RequestOrigin(org.eclipse.jetty.server.Request.getRemoteAddr(request),
                    request.isSecure());
            if (query.getValue("containerInstanceArn") != null) {
                requireOwnCluster(scope, query.getValue("clusterArn"), query.getValue("containerInstanceArn"));
                access.authorizeAgentSession(caller, AccessControl.AgentSession.ACS, query.getValue("clusterArn"),
                        query.getValue("containerInstanceArn"), origin);
                return acs(scope, query);
            }
            if (query.getValue("containerInstance") != null) {
                String instance = query.getValue("containerInstance");
                requireOwnCluster(scope, query.getValue("cluster"), instance);
                access.authorizeAgentSession(caller, AccessControl.AgentSession.TELEMETRY, query.getValue("cluster"),
                        instance, origin);
                requireKnown(scope, instance);
                return new TcsSession(sessions, json, instance, report -> recordHealth(scope, instance, report));
            }
            throw new EcsException("BadRequestException", 400,
                    "The websocket needs containerInstanceArn (ACS) or containerInstance (telemetry).");
        } catch (EcsException e) {
            reject(response, callback, e);
            return null;
        }
    }

    private AcsSession acs(Scope scope, Fields query) {
        String instance = query.getValue("containerInstanceArn");
        String cluster = query.getValue("clusterArn");
        requireKnown(scope, instance);
        String dockerVersion = query.getValue("dockerVersion");
        if (dockerVersion != null && dockerVersion.startsWith(DOCKER_VERSION_PREFIX)) {
            dockerVersion = dockerVersion.substring(DOCKER_VERSION_PREFIX.length());
        }
        VersionInfo versions = VersionInfo.builder()
                .agentVersion(query.getValue("agentVersion"))
                .agentHash(query.getValue("agentHash"))
                .dockerVersion(dockerVersion)
                .build();
        return new AcsSession(sessions, dispatch, presence, codec, clock, scope, cluster, instance, versions,
                Boolean.parseBoolean(query.getValue("sendCredentials")));
    }

    /**
     * Hands a PublishHealthRequest's container health to the task family:
     * {@code tasks[]{taskArn, containers[]{containerName, healthStatus}}}, as published by the instance whose
     * telemetry session sent it, which may speak only for its own tasks.
     */
    private void recordHealth(Scope scope, String containerInstanceArn, JsonNode report) {
        for (JsonNode task : report.path("tasks")) {
            Map<String, String> containers = new HashMap<>();
            for (JsonNode container : task.path("containers")) {
                containers.put(container.path("containerName").asText(), container.path("healthStatus").asText());
            }
            taskHealth.recordHealth(scope, containerInstanceArn, task.path("taskArn").asText(), containers);
        }
    }

    /**
     * Refuses a session whose cluster is not its instance's: the session is authorized against the cluster it names,
     * and would otherwise carry another cluster's tasks (and their credentials).
     */
    private static void requireOwnCluster(Scope scope, String clusterRef, String containerInstanceArn) {
        Optional<String> owning = ContainerInstances.clusterNameOf(containerInstanceArn);
        if (owning.isPresent() && !owning.equals(Clusters.nameOf(scope, clusterRef))) {
            throw EcsException.invalidParameter("The container instance does not belong to the cluster "
                    + "the session names.");
        }
    }

    /** Refuses before upgrading when the instance is not one to talk to. */
    private void requireKnown(Scope scope, String containerInstanceArn) {
        boolean active = ContainerInstances.clusterNameOf(containerInstanceArn)
                .flatMap(cluster -> ContainerInstances.find(presence.region(scope), cluster, containerInstanceArn))
                .filter(i -> ContainerInstances.ACTIVE.equals(i.status()) || ContainerInstances.DRAINING.equals(i.status()))
                .isPresent();
        if (!active) {
            throw new EcsException("InactiveInstanceException", 400,
                    "Container instance " + containerInstanceArn + " is not registered and active.");
        }
    }

    private void reject(ServerUpgradeResponse response, Callback callback, EcsException error) {
        ObjectNode body = json.createObjectNode();
        body.put("type", error.code());
        body.putObject("message").put("message", error.getMessage());
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        // A refused upgrade is a 403, as AWS answers an agent whose credentials may not open the session.
        boolean forbidden = error.httpStatus() == 403 || "AccessDeniedException".equals(error.code());
        response.setStatus(forbidden ? 403 : 400);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put("x-amzn-ErrorType", error.code());
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
