package io.berth.server;

import io.berth.control.ControlPlane;
import io.berth.control.access.AccessControl;
import io.berth.control.agent.AgentDispatch;
import io.berth.control.audit.AuditRetention;
import io.berth.control.audit.AuditStore;
import io.berth.control.audit.AuditTrail;
import io.berth.control.audit.CloudTrailService;
import io.berth.control.crypto.Sealer;
import io.berth.control.iam.AccessKey;
import io.berth.control.iam.AccessKeys;
import io.berth.control.iam.Authorizer;
import io.berth.control.iam.Iam;
import io.berth.control.iam.RoleSessions;
import io.berth.control.instance.AgentPresence;
import io.berth.control.instance.PoolHosts;
import io.berth.control.logs.LogStore;
import io.berth.control.logs.LogsService;
import io.berth.control.logs.RetentionSweep;
import io.berth.control.secrets.SecretsManager;
import io.berth.control.service.ServiceScheduler;
import io.berth.control.ssm.ParameterStore;
import io.berth.control.state.State;
import io.berth.control.store.Store;
import io.berth.model.AwsJson;
import io.berth.model.AwsQuery;
import io.berth.server.acs.AcsSessions;
import io.berth.server.acs.AgentWebSockets;
import io.berth.server.api.JsonTable;
import io.berth.server.api.OperationTable;
import io.berth.server.api.QueryTable;
import io.berth.server.auth.Authenticator;
import io.berth.server.auth.SigV4Verifier;
import io.berth.server.http.ApiCall;
import io.berth.server.http.AuditListener;
import io.berth.server.http.DevHandler;
import io.berth.server.http.ForwardedOrigin;
import io.berth.server.http.JsonHandler;
import io.berth.server.http.QueryHandler;
import io.berth.server.metrics.Metrics;
import io.berth.server.node.Leadership;
import io.berth.server.node.LeaderCheck;
import io.berth.server.fargate.FargateHostsHandler;
import io.berth.server.node.NodesHandler;
import io.berth.store.LeaderLease;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a node runs while it leads: the state loaded from the store, the control plane's services, the
 * schedulers, the agents' sessions and the handlers that answer every API. A single server leads for its whole life;
 * one of several nodes builds these when it wins the lease and closes them when it loses it.
 */
final class LeaderServices implements Leadership.Leading {

    private static final Logger log = LoggerFactory.getLogger(LeaderServices.class);

    /** How often every service is checked, besides the checks that follow each relevant change. */
    private static final Duration SERVICE_SCHEDULING_PERIOD = Duration.ofSeconds(5);
    /**
     * Set to {@code off} to answer without recording the audit trail: for benchmarks that measure what the trail
     * costs, never for a server that serves anyone.
     */
    static final String AUDIT_PROPERTY = "berth.audit";
    /** How often deleted secrets whose recovery window ended are purged. */
    private static final Duration SECRET_PURGE_PERIOD = Duration.ofMinutes(1);

    /** How the control plane decides access and hands out role credentials; tests replace them. */
    record Policies(Function<Iam, Authorizer> authorizerOf, Function<Iam, RoleSessions> roleSessionsOf) {
    }

    private final List<AutoCloseable> resources;
    private final Handler handler;
    private final String accountId;
    private final AccessKey firstKey;
    private final AccessKeys keys;
    private final Iam iam;
    private final AcsSessions sessions;

    private LeaderServices(List<AutoCloseable> resources, Handler handler, String accountId, AccessKey firstKey,
            AccessKeys keys, Iam iam, AcsSessions sessions) {
        this.resources = resources;
        this.handler = handler;
        this.accountId = accountId;
        this.firstKey = firstKey;
        this.keys = keys;
        this.iam = iam;
        this.sessions = sessions;
    }

    /**
     * Loads the state from the store and builds the services over it; closing them releases all but the store.
     *
     * @param acsSequence the highest agent message sequence number an earlier leader sent, to stay above
     * @param metrics the node's meters, which measure this term while it lasts
     */
    static LeaderServices start(ServerConfig config, Store store, Server jetty, String endpoint, Policies policies,
            long acsSequence, Supplier<LeaderLease.Standing> nodes, Metrics metrics) {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            return start(config, store, jetty, endpoint, policies, acsSequence, nodes, metrics, resources);
        } catch (RuntimeException | Error e) {
            closeAll(resources);
            throw e;
        }
    }

    private static LeaderServices start(ServerConfig config, Store store, Server jetty, String endpoint,
            Policies policies, long acsSequence, Supplier<LeaderLease.Standing> nodes, Metrics metrics,
            List<AutoCloseable> resources) {
        Clock clock = Clock.systemUTC();
        Sealer sealer = MasterKeys.open(config.masterKey(), store);
        AccessKeys keys = new AccessKeys(store, sealer, clock);
        Iam iam = new Iam(store, keys, clock);
        RoleSessions roleSessions = policies.roleSessionsOf().apply(iam);
        Authorizer authorizer = policies.authorizerOf().apply(iam);
        String accountId = keys.account(config.accountId()).accountId();
        AccessKey firstKey = null;
        if (keys.list().isEmpty()) {
            firstKey = keys.create(accountId);
            BerthServer.writeCredentials(config.dataDir().resolve(BerthServer.CREDENTIALS_FILE), firstKey);
        }
        State state = new State(store, ControlPlane.KINDS, metrics.commits());
        resources.add(state);
        LogStore logStore = config.store().openLogs(config.dataDir());
        resources.add(logStore);
        AuditStore auditStore = config.store().openAudit(config.dataDir());
        resources.add(auditStore);
        ApiCall.Listener audit = "off".equals(System.getProperty(AUDIT_PROPERTY)) ? ApiCall.Listener.NONE
                : new AuditListener(new AuditTrail(auditStore));

        AwsJson json = new AwsJson();
        String agentsEndpoint = config.pollEndpoint() != null ? config.pollEndpoint() : endpoint;
        ControlPlane controlPlane = new ControlPlane(state, clock,
                new ControlPlane.Endpoints(agentsEndpoint, agentsEndpoint), roleSessions, config.taskNetworkRange());
        AccessControl access = controlPlane.accessControl(authorizer);
        OperationTable operations = new OperationTable(json, access);
        controlPlane.addTo(operations);
        AgentPresence presence = new AgentPresence(state);
        // Agents connect to the leader only: whatever the store says, none is connected to this one yet.
        presence.noneConnected();
        AcsSessions sessions = new AcsSessions(clock, acsSequence);
        resources.add(0, sessions);
        AgentDispatch dispatch = new AgentDispatch(state, sessions, controlPlane.taskRoles());
        sessions.refreshCredentials(dispatch, AcsSessions.CREDENTIALS_CHECK_INTERVAL);
        resources.add(0, metrics.lead(state, sessions));
        ApiCall.Listener calls = metrics.listener().andThen(audit);
        Authenticator authenticator = config.dev()
                ? Authenticator.anyone(accountId, config.region())
                : Authenticator.sigV4(new SigV4Verifier(keys, iam::sessionKey, clock));
        Handler.Sequence handlers = new Handler.Sequence();
        if (config.dev()) {
            handlers.addHandler(new DevHandler(state));
        }
        handlers.addHandler(new NodesHandler(authenticator, nodes));
        handlers.addHandler(new FargateHostsHandler(authenticator, new PoolHosts(state), config.partition()));
        handlers.addHandler(new LeaderCheck());
        QueryTable iamActions = new QueryTable(AwsQuery.iam(), "2010-05-08");
        QueryTable stsActions = new QueryTable(AwsQuery.sts(), "2011-06-15");
        iam.addIamTo(iamActions, authorizer);
        iam.addStsTo(stsActions, authorizer);
        handlers.addHandler(new QueryHandler(iamActions, stsActions, authenticator, config.partition(), calls));
        JsonTable ssm = JsonTable.of("AmazonSSM.", "ssm", JsonHandler.MAX_BODY_BYTES, json);
        new ParameterStore(state, sealer, authorizer, clock).addTo(ssm);
        JsonTable secretsManager = JsonTable.of("secretsmanager.", "secretsmanager", JsonHandler.MAX_BODY_BYTES, json);
        SecretsManager secrets = new SecretsManager(state, sealer, authorizer, clock);
        secrets.addTo(secretsManager);
        // Log events are never kept in memory: their messages are not worth sharing with strings read before.
        JsonTable logOperations = JsonTable.of(LogsService.TARGET_PREFIX, LogsService.SIGNING_NAME,
                LogsService.MAX_BODY_BYTES, AwsJson.unshared());
        new LogsService(logStore, authorizer, clock).addTo(logOperations);
        JsonTable cloudTrail = new JsonTable(CloudTrailService.TARGET_PREFIX, CloudTrailService.SIGNING_NAME,
                CloudTrailService.MAX_BODY_BYTES, json, JsonTable.Gate.OPEN, CloudTrailService::unsupported);
        new CloudTrailService(auditStore, authorizer, clock).addTo(cloudTrail);
        handlers.addHandler(new JsonHandler(List.of(operations.table(), logOperations, ssm, secretsManager, cloudTrail),
                authenticator, config.partition(), new ForwardedOrigin(sealer.derivedKey(ForwardedOrigin.KEY_PURPOSE)),
                calls));
        AgentWebSockets agentSockets = new AgentWebSockets(authenticator, access, sessions, dispatch, presence, clock,
                config.partition(), controlPlane.tasks());
        Handler handler = agentSockets.handler(jetty, handlers);

        state.decodeInBackground();
        resources.add(0, new ServiceScheduler(state, controlPlane.serviceReconciler(), SERVICE_SCHEDULING_PERIOD));
        resources.add(0, secrets.purgeEvery(SECRET_PURGE_PERIOD));
        resources.add(0, RetentionSweep.start(logStore, clock, RetentionSweep.PERIOD));
        resources.add(0, AuditRetention.start(auditStore, clock, AuditRetention.PERIOD));
        return new LeaderServices(resources, handler, accountId, firstKey, keys, iam, sessions);
    }

    @Override
    public Handler handler() {
        return handler;
    }

    @Override
    public long acsSequence() {
        return sessions.lastSequence();
    }

    String accountId() {
        return accountId;
    }

    AccessKey firstKey() {
        return firstKey;
    }

    AccessKeys keys() {
        return keys;
    }

    Iam iam() {
        return iam;
    }

    AcsSessions sessions() {
        return sessions;
    }

    /** Stops the schedulers and the agents' sessions, then closes the state; the store stays open. */
    @Override
    public void close() {
        closeAll(resources);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Closing {} failed", resource, e);
            }
        }
        resources.clear();
    }
}
