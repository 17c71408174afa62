package io.berth.server.acs;

import io.berth.control.Scope;
import io.berth.control.agent.AgentDispatch;
import io.berth.control.instance.AgentPresence;
import io.berth.model.EcsException;
import io.berth.model.Ids;
import io.berth.model.acs.AckRequest;
import io.berth.model.acs.AcsCodec;
import io.berth.model.acs.AcsMessage;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.HeartbeatAckRequest;
import io.berth.model.acs.HeartbeatMessage;
import io.berth.model.acs.IAMRoleCredentialsAckRequest;
import io.berth.model.acs.IAMRoleCredentialsMessage;
import io.berth.model.acs.PayloadMessage;
import io.berth.model.acs.TaskIdentifier;
import io.berth.model.acs.TaskManifestMessage;
import io.berth.model.acs.TaskStopVerificationAck;
import io.berth.model.acs.TaskStopVerificationMessage;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.VersionInfo;

/**
 * One agent's ACS session: sends it heartbeats, payloads and manifests, and takes its acks and
 * stop verifications. Payloads not acknowledged yet are kept, and sent again on the next session.
 */
public final class AcsSession implements Session.Listener.AutoDemanding {

    private static final Logger log = LoggerFactory.getLogger(AcsSession.class);

    private final AcsSessions sessions;
    private final AgentDispatch dispatch;
    private final AgentPresence presence;
    private final AcsCodec codec;
    private final Clock clock;
    private final Scope scope;
    private final String clusterRef;
    private final String containerInstanceArn;
    private final VersionInfo versions;
    private final boolean sendCredentials;
    private final Map<String, PayloadMessage> unacknowledged = new ConcurrentHashMap<>();
    private final Map<String, IAMRoleCredentialsMessage> unacknowledgedCredentials = new ConcurrentHashMap<>();
    private volatile Outbox outbox;
    private volatile String lastManifestId;

    AcsSession(AcsSessions sessions, AgentDispatch dispatch, AgentPresence presence, AcsCodec codec, Clock clock,
            Scope scope, String clusterRef, String containerInstanceArn, VersionInfo versions, boolean sendCredentials) {
        this.sendCredentials = sendCredentials;
        this.sessions = sessions;
        this.dispatch = dispatch;
        this.presence = presence;
        this.codec = codec;
        this.clock = clock;
        this.scope = scope;
        this.clusterRef = clusterRef;
        this.containerInstanceArn = containerInstanceArn;
        this.versions = versions;
    }

    Scope scope() {
        return scope;
    }

    String containerInstanceArn() {
        return containerInstanceArn;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.outbox = new Outbox(session);
        try {
            presence.connected(scope, clusterRef, containerInstanceArn, versions);
        } catch (EcsException e) {
            session.close(1008, e.code() + ": " + e.getMessage(), org.eclipse.jetty.websocket.api.Callback.NOOP);
            return;
        }
        sessions.opened(this);
        deliver(dispatch.tasksFor(scope, containerInstanceArn));
        if (sendCredentials) {
            // A freshly started agent asks for the credentials of every task it should hold.
            dispatch.credentialsFor(scope, containerInstanceArn).forEach(this::deliverCredentials);
        }
    }

    @Override
    public void onWebSocketText(String frame) {
        AcsMessage message;
        try {
            message = codec.read(frame);
        } catch (IllegalArgumentException e) {
            log.warn("Ignoring an undecodable ACS frame from {}: {}", containerInstanceArn, e.getMessage());
            return;
        }
        switch (message) {
            case AckRequest ack when ack.messageId() == null -> ignoreWithoutMessageId(message);
            case IAMRoleCredentialsAckRequest ack when ack.messageId() == null -> ignoreWithoutMessageId(message);
            case AckRequest ack -> unacknowledged.remove(ack.messageId());
            case IAMRoleCredentialsAckRequest ack -> acknowledged(ack);
            case HeartbeatAckRequest ignored -> {
                // The agent is alive; the session's idle timeout already counts it.
            }
            case TaskStopVerificationMessage verification -> confirmStops(verification);
            default -> log.debug("Ignoring ACS message {} from {}", AcsCodec.typeOf(message), containerInstanceArn);
        }
    }

    private void ignoreWithoutMessageId(AcsMessage message) {
        log.warn("Ignoring an {} without messageId from {}", AcsCodec.typeOf(message), containerInstanceArn);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, org.eclipse.jetty.websocket.api.Callback callback) {
        closed();
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        log.debug("ACS session of {} failed: {}", containerInstanceArn, cause.toString());
        closed();
    }

    private void closed() {
        if (sessions.closed(this)) {
            try {
                presence.disconnected(scope, containerInstanceArn);
            } catch (RuntimeException e) {
                // A node that no longer leads cannot record it; the node that leads now counts no agent as connected.
                log.debug("Cannot record that {} disconnected: {}", containerInstanceArn, e.getMessage());
            }
        }
    }

    /** Sends tasks in one payload; an empty list sends nothing. */
    void deliver(List<AcsTask> tasks) {
        if (tasks.isEmpty() || outbox == null) {
            return;
        }
        PayloadMessage payload = new PayloadMessage(containerInstanceArn, clusterArn(), tasks,
                clock.instant().getEpochSecond(), Ids.uuid(), sessions.nextSequence(), null);
        unacknowledged.put(payload.messageId(), payload);
        outbox.send(codec.write(payload));
    }

    /** Sends one task's fresh role credentials; kept until the agent acknowledges them. */
    void deliverCredentials(IAMRoleCredentialsMessage credentials) {
        if (outbox == null) {
            return;
        }
        unacknowledgedCredentials.put(credentials.messageId(), credentials);
        outbox.send(codec.write(credentials));
    }

    private void acknowledged(IAMRoleCredentialsAckRequest ack) {
        IAMRoleCredentialsMessage sent = unacknowledgedCredentials.get(ack.messageId());
        if (sent != null && sent.roleCredentials().credentialsId().equals(ack.credentialsId())) {
            unacknowledgedCredentials.remove(ack.messageId());
        }
    }

    /** Credentials messages sent on this session that the agent has not acknowledged yet. */
    List<IAMRoleCredentialsMessage> unacknowledgedCredentials() {
        return List.copyOf(unacknowledgedCredentials.values());
    }

    /** Ends the session, as the node it reached no longer answers agents. */
    void goAway(String reason) {
        Outbox current = outbox;
        if (current != null) {
            current.goAway(reason);
        }
    }

    void heartbeat() {
        if (outbox != null) {
            outbox.send(codec.write(new HeartbeatMessage(true, Ids.uuid())));
        }
    }

    void manifest() {
        if (outbox == null) {
            return;
        }
        List<TaskIdentifier> tasks = dispatch.manifest(scope, containerInstanceArn);
        String messageId = Ids.uuid();
        lastManifestId = messageId;
        outbox.send(codec.write(new TaskManifestMessage(containerInstanceArn, clusterArn(), tasks,
                clock.instant().getEpochSecond(), messageId, (long) sessions.nextSequence())));
    }

    /** Payloads sent on this session that the agent has not acknowledged yet. */
    List<PayloadMessage> unacknowledged() {
        return List.copyOf(unacknowledged.values());
    }

    private void confirmStops(TaskStopVerificationMessage verification) {
        if (outbox == null || verification.messageId() == null || !verification.messageId().equals(lastManifestId)) {
            return;
        }
        List<TaskIdentifier> stops = dispatch.confirmStops(scope, verification.stopCandidates());
        outbox.send(codec.write(new TaskStopVerificationAck(clock.instant().getEpochSecond(), verification.messageId(),
                stops)));
    }

    private String clusterArn() {
        String name = io.berth.control.instance.ContainerInstances.clusterNameOf(containerInstanceArn).orElse("");
        return scope.arn("cluster/" + name);
    }
}
