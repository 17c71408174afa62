package io.berth.agent.acs;

import io.berth.agent.engine.InvalidTaskException;
import io.berth.model.acs.AckRequest;
import io.berth.model.acs.AcsCodec;
import io.berth.model.acs.AcsMessage;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.HeartbeatAckRequest;
import io.berth.model.acs.HeartbeatMessage;
import io.berth.model.acs.IAMRoleCredentialsAckRequest;
import io.berth.model.acs.IAMRoleCredentialsMessage;
import io.berth.model.acs.IamRoleCredentials;
import io.berth.model.acs.PayloadMessage;
import io.berth.model.acs.TaskIdentifier;
import io.berth.model.acs.TaskManifestMessage;
import io.berth.model.acs.TaskStopVerificationAck;
import io.berth.model.acs.TaskStopVerificationMessage;
import io.berth.model.acs.Unknown;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The agent's end of the ACS websocket (see {@link AgentSocket} for the connection itself): answers heartbeats, hands
 * payloads to the engine and acknowledges them, keeps task credentials and reconciles task manifests. The first
 * connection of the process asks for every task's credentials ({@code sendCredentials=true}).
 */
public final class AcsSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AcsSession.class);

    private final AcsSettings settings;
    private final AcsTasks tasks;
    private final TaskCredentials taskCredentials;
    private final AcsCodec codec = new AcsCodec();
    private final AgentSocket socket;

    private volatile boolean sentCredentialsRequest;

    // handler-thread state
    private long highestSequence;
    private String lastManifestMessageId;

    public AcsSession(AcsSettings settings, SessionEndpoint pollEndpoint, AwsCredentialsProvider credentials,
            AcsTasks tasks, TaskCredentials taskCredentials) {
        this.settings = settings;
        this.tasks = tasks;
        this.taskCredentials = taskCredentials;
        this.socket = new AgentSocket("ACS", settings, pollEndpoint, credentials, new AgentSocket.Channel() {
            @Override
            public SortedMap<String, String> query() {
                return AcsSession.this.query();
            }

            @Override
            public void connected() {
                sentCredentialsRequest = true;
            }

            @Override
            public boolean received(String frame) {
                return handle(frame);
            }
        });
    }

    public void start() {
        socket.start();
    }

    /** Whether a websocket is currently open. */
    public boolean connected() {
        return socket.connected();
    }

    /** Whether the control plane refused this instance as deregistered on the last attempt. */
    public boolean deregistered() {
        return socket.deregistered();
    }

    @Override
    public void close() {
        socket.close();
    }

    private SortedMap<String, String> query() {
        TreeMap<String, String> query = new TreeMap<>();
        query.put("agentHash", settings.agentHash());
        query.put("agentVersion", settings.agentVersion());
        query.put("clusterArn", settings.cluster());
        query.put("containerInstanceArn", settings.containerInstanceArn());
        query.put("dockerVersion", "DockerVersion: " + settings.dockerVersion());
        query.put("protocolVersion", "2");
        query.put("sendCredentials", Boolean.toString(!sentCredentialsRequest));
        query.put("seqNum", "1");
        return query;
    }

    // ---- messages (on the handler thread)

    private boolean handle(String frame) {
        AcsMessage message;
        try {
            message = codec.read(frame);
        } catch (IllegalArgumentException e) {
            LOG.warn("Dropping an undecodable ACS frame: {}", e.getMessage());
            return false;
        }
        try {
            switch (message) {
                case HeartbeatMessage heartbeat -> send(new HeartbeatAckRequest(heartbeat.messageId()));
                case PayloadMessage payload -> onPayload(payload);
                case IAMRoleCredentialsMessage refresh -> onCredentials(refresh);
                case TaskManifestMessage manifest -> onManifest(manifest);
                case TaskStopVerificationAck ack -> onStopVerification(ack);
                case Unknown unknown -> LOG.info("Ignoring ACS message {}: {}", unknown.type(), unknown.messageJson());
                default -> LOG.info("Ignoring ACS message {}", message);
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot handle ACS message {}: {}", AcsCodec.typeOf(message), e.getMessage(), e);
        }
        return true;
    }

    private void onPayload(PayloadMessage payload) {
        if (payload.messageId() == null || payload.clusterArn() == null || payload.containerInstanceArn() == null) {
            LOG.warn("Dropping a PayloadMessage without messageId, clusterArn or containerInstanceArn");
            return;
        }
        if (payload.seqNum() != null) {
            highestSequence = Math.max(highestSequence, payload.seqNum());
        }
        boolean allLoaded = true;
        List<IamRoleCredentials> credentialSets = new ArrayList<>();
        for (AcsTask task : payload.tasks() == null ? List.<AcsTask>of() : payload.tasks()) {
            // kept before the task starts, whose secrets and logs may need its execution role at once
            taskCredentials.put(task.roleCredentials());
            taskCredentials.put(task.executionRoleCredentials());
            try {
                tasks.apply(task);
                addCredentials(task.roleCredentials(), credentialSets);
                addCredentials(task.executionRoleCredentials(), credentialSets);
            } catch (InvalidTaskException e) {
                LOG.warn("Payload {}: task {} refused: {}", payload.messageId(), task.arn(), e.getMessage());
                allLoaded = false;
            }
        }
        if (!allLoaded) {
            return;
        }
        send(new AckRequest(payload.clusterArn(), payload.containerInstanceArn(), payload.messageId()));
        for (IamRoleCredentials set : credentialSets) {
            send(new IAMRoleCredentialsAckRequest(payload.messageId(), set.expiration(), set.credentialsId()));
        }
    }

    /** Notes a credentials set to acknowledge once the payload is. */
    private static void addCredentials(IamRoleCredentials credentials, List<IamRoleCredentials> sets) {
        if (credentials != null && credentials.credentialsId() != null) {
            sets.add(credentials);
        }
    }

    private void onCredentials(IAMRoleCredentialsMessage refresh) {
        IamRoleCredentials credentials = refresh.roleCredentials();
        if (refresh.messageId() == null || refresh.taskArn() == null || credentials == null
                || credentials.credentialsId() == null) {
            LOG.warn("Dropping an IAMRoleCredentialsMessage without messageId, taskArn or credentialsId");
            return;
        }
        taskCredentials.put(credentials);
        send(new IAMRoleCredentialsAckRequest(refresh.messageId(), credentials.expiration(),
                credentials.credentialsId()));
    }

    private void onManifest(TaskManifestMessage manifest) {
        if (manifest.timeline() == null || manifest.timeline() <= highestSequence) {
            LOG.info("Discarding stale task manifest {} (timeline {})", manifest.messageId(), manifest.timeline());
            return;
        }
        highestSequence = manifest.timeline();
        send(new AckRequest(manifest.clusterArn(), manifest.containerInstanceArn(), manifest.messageId()));
        lastManifestMessageId = manifest.messageId();
        Map<String, TaskIdentifier> listed = new HashMap<>();
        if (manifest.tasks() != null) {
            manifest.tasks().forEach(t -> listed.put(t.taskArn(), t));
        }
        List<TaskIdentifier> candidates = new ArrayList<>();
        for (String arn : tasks.desiredRunning()) {
            TaskIdentifier entry = listed.get(arn);
            if (entry == null || !"RUNNING".equals(entry.desiredStatus())) {
                candidates.add(new TaskIdentifier(arn, entry == null ? null : entry.taskClusterArn(), "STOPPED"));
            }
        }
        if (!candidates.isEmpty()) {
            send(new TaskStopVerificationMessage(manifest.messageId(), candidates));
        }
    }

    private void onStopVerification(TaskStopVerificationAck ack) {
        if (ack.messageId() == null || !ack.messageId().equals(lastManifestMessageId)) {
            LOG.info("Ignoring a TaskStopVerificationAck for message {}", ack.messageId());
            return;
        }
        if (ack.stopTasks() != null) {
            ack.stopTasks().forEach(t -> tasks.stop(t.taskArn()));
        }
    }

    private void send(AcsMessage message) {
        socket.send(codec.write(message));
    }
}
