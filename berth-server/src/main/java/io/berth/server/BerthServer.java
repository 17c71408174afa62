package io.berth.server;

import io.berth.control.ControlPlane;
import io.berth.control.access.AccessControl;
import io.berth.control.crypto.Sealer;
import io.berth.control.secrets.SecretsManager;
import io.berth.control.ssm.ParameterStore;
import io.berth.control.iam.RoleSessions;
import io.berth.control.agent.AgentDispatch;
import io.berth.control.instance.AgentPresence;
import io.berth.control.service.ServiceScheduler;
import io.berth.server.acs.AcsSessions;
import io.berth.server.acs.AgentWebSockets;
import io.berth.control.iam.AccessKey;
import io.berth.control.iam.AccessKeys;
import io.berth.control.iam.Authorizer;
import io.berth.control.iam.Iam;
import io.berth.control.logs.LogStore;
import io.berth.control.logs.LogsService;
import io.berth.control.logs.RetentionSweep;
import io.berth.control.state.State;
import io.berth.control.store.Store;
import io.berth.model.AwsJson;
import io.berth.model.AwsQuery;
import io.berth.server.api.JsonTable;
import io.berth.server.api.OperationTable;
import io.berth.server.api.QueryTable;
import io.berth.server.auth.Authenticator;
import io.berth.server.auth.SigV4Verifier;
import io.berth.server.http.DevHandler;
import io.berth.server.http.JsonHandler;
import io.berth.server.http.JsonErrorHandler;
import io.berth.server.http.QueryHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Berth control plane: the store, the state, the control plane's services and the HTTP
 * edge, wired here and nowhere else.
 */
public final class BerthServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BerthServer.class);
    public static final String DATABASE_FILE = StoreConfig.DATABASE_FILE;
    public static final String CREDENTIALS_FILE = "credentials";

    private final ServerConfig config;
    private final Store store;
    private final State state;
    private final Server jetty;
    private final String accountId;
    private final AccessKey firstKey;
    private final AcsSessions sessions;
    private final AccessKeys keys;
    private final Iam iam;
    private final ServiceScheduler serviceScheduler;
    private final AutoCloseable secretPurge;
    private final AutoCloseable logs;
    private final AutoCloseable dataDirLock;

    /** How often every service is checked, besides the checks that follow each relevant change. */
    private static final Duration SERVICE_SCHEDULING_PERIOD = Duration.ofSeconds(5);
    /** How often deleted secrets whose recovery window ended are purged. */
    private static final Duration SECRET_PURGE_PERIOD = Duration.ofMinutes(1);

    private BerthServer(ServerConfig config, Store store, State state, Server jetty, String accountId,
            AccessKey firstKey, AcsSessions sessions, AccessKeys keys, Iam iam, ServiceScheduler serviceScheduler,
            AutoCloseable secretPurge, AutoCloseable logs, AutoCloseable dataDirLock) {
        this.dataDirLock = dataDirLock;
        this.secretPurge = secretPurge;
        this.sessions = sessions;
        this.logs = logs;
        this.keys = keys;
        this.iam = iam;
        this.serviceScheduler = serviceScheduler;
        this.config = config;
        this.store = store;
        this.state = state;
        this.jetty = jetty;
        this.accountId = accountId;
        this.firstKey = firstKey;
    }

    /**
     * Opens the data directory, loads the state and starts answering. Every call and agent session
     * of a principal other than an account's root is decided by its IAM policies; tasks get their
     * roles' credentials from Berth's own STS.
     */
    public static BerthServer start(ServerConfig config) {
        return start(config, Iam::authorizer, Iam::roleSessions);
    }

    /** As {@link #start(ServerConfig)}, with the role sessions that give tasks their roles' credentials. */
    public static BerthServer start(ServerConfig config, RoleSessions roleSessions) {
        return start(config, Iam::authorizer, iam -> roleSessions);
    }

    /**
     * As {@link #start(ServerConfig)}, with the authorizer that decides what each principal other
     * than an account's root may do, on ECS, IAM and STS.
     */
    public static BerthServer start(ServerConfig config, Authorizer authorizer) {
        return start(config, iam -> authorizer, Iam::roleSessions);
    }

    private static BerthServer start(ServerConfig config, Function<Iam, Authorizer> authorizerOf,
            Function<Iam, RoleSessions> roleSessionsOf) {
        createDataDir(config.dataDir());
        // SQLite's files are this server's alone; several servers share a PostgreSQL store by design.
        AutoCloseable lock = config.store().type() == StoreConfig.Type.SQLITE
                ? DataDirLock.acquire(config.dataDir()) : () -> { };
        try {
            return start(config, authorizerOf, roleSessionsOf, lock);
        } catch (RuntimeException | Error e) {
            closeQuietly(lock);
            throw e;
        }
    }

    private static BerthServer start(ServerConfig config, Function<Iam, Authorizer> authorizerOf,
            Function<Iam, RoleSessions> roleSessionsOf, AutoCloseable lock) {
        Clock clock = Clock.systemUTC();
        Sealer sealer = Sealer.fromKeyFile(config.masterKey());
        Store store = config.store().open(config.dataDir());
        AccessKeys keys = new AccessKeys(store, clock);
        Iam iam = new Iam(store, keys, clock);
        RoleSessions roleSessions = roleSessionsOf.apply(iam);
        Authorizer authorizer = authorizerOf.apply(iam);
        String accountId = keys.account(config.accountId()).accountId();
        AccessKey firstKey = null;
        if (keys.list().isEmpty()) {
            firstKey = keys.create(accountId);
            writeCredentials(config.dataDir().resolve(CREDENTIALS_FILE), firstKey);
        }
        State state = new State(store, ControlPlane.KINDS);
        LogStore logStore = config.store().openLogs(config.dataDir());

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("berth-http");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server jetty = new Server(threads);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(config.host());
        connector.setPort(config.port());
        jetty.addConnector(connector);

        // Bind first: the endpoints agents are told about name the bound port.
        try {
            connector.open();
        } catch (IOException e) {
            state.close();
            store.close();
            logStore.close();
            throw new UncheckedIOException("Cannot listen on port " + config.port(), e);
        }
        String endpoint = config.endpoint(connector.getLocalPort());
        AwsJson json = new AwsJson();
        ControlPlane controlPlane = new ControlPlane(state, clock, new ControlPlane.Endpoints(endpoint, endpoint),
                roleSessions);
        AccessControl access = controlPlane.accessControl(authorizer);
        OperationTable operations = new OperationTable(json, access);
        controlPlane.addTo(operations);
        AgentPresence presence = new AgentPresence(state);
        presence.noneConnected();
        AcsSessions sessions = new AcsSessions(clock);
        AgentDispatch dispatch = new AgentDispatch(state, sessions, controlPlane.taskRoles());
        sessions.refreshCredentials(dispatch, AcsSessions.CREDENTIALS_CHECK_INTERVAL);
        Authenticator authenticator = config.dev()
                ? Authenticator.anyone(accountId, config.region())
                : Authenticator.sigV4(new SigV4Verifier(keys, iam::sessionKey, clock));
        Handler.Sequence handlers = new Handler.Sequence();
        if (config.dev()) {
            handlers.addHandler(new DevHandler(state));
        }
        QueryTable iamActions = new QueryTable(AwsQuery.iam(), "2010-05-08");
        QueryTable stsActions = new QueryTable(AwsQuery.sts(), "2011-06-15");
        iam.addIamTo(iamActions, authorizer);
        iam.addStsTo(stsActions, authorizer);
        handlers.addHandler(new QueryHandler(iamActions, stsActions, authenticator, config.partition()));
        JsonTable ssm = JsonTable.of("AmazonSSM.", "ssm", JsonHandler.MAX_BODY_BYTES, json);
        new ParameterStore(state, sealer, authorizer, clock).addTo(ssm);
        JsonTable secretsManager = JsonTable.of("secretsmanager.", "secretsmanager", JsonHandler.MAX_BODY_BYTES, json);
        SecretsManager secrets = new SecretsManager(state, sealer, authorizer, clock);
        secrets.addTo(secretsManager);
        // Log events are never kept in memory: their messages are not worth sharing with strings read before.
        JsonTable logOperations = JsonTable.of(LogsService.TARGET_PREFIX, LogsService.SIGNING_NAME,
                LogsService.MAX_BODY_BYTES, AwsJson.unshared());
        new LogsService(logStore, authorizer, clock).addTo(logOperations);
        handlers.addHandler(new JsonHandler(List.of(operations.table(), logOperations, ssm, secretsManager),
                authenticator,
                config.partition()));
        AgentWebSockets agentSockets = new AgentWebSockets(authenticator, access, sessions, dispatch, presence, clock,
                config.partition(), controlPlane.tasks());
        jetty.setHandler(agentSockets.handler(jetty, handlers));
        jetty.setErrorHandler(new JsonErrorHandler());
        try {
            jetty.start();
        } catch (Exception e) {
            state.close();
            store.close();
            logStore.close();
            throw new IllegalStateException("Cannot start the HTTP server on port " + config.port(), e);
        }
        log.info("Berth listening on {} (account {}, region {}, state in {})", endpoint, accountId, config.region(),
                config.store().describe(config.dataDir()));
        state.decodeInBackground();
        ServiceScheduler serviceScheduler = new ServiceScheduler(state, controlPlane.serviceReconciler(),
                SERVICE_SCHEDULING_PERIOD);
        AutoCloseable secretPurge = secrets.purgeEvery(SECRET_PURGE_PERIOD);
        RetentionSweep retention = RetentionSweep.start(logStore, clock, RetentionSweep.PERIOD);
        AutoCloseable logs = () -> {
            retention.close();
            logStore.close();
        };
        return new BerthServer(config, store, state, jetty, accountId, firstKey, sessions, keys, iam, serviceScheduler,
                secretPurge, logs, lock);
    }

    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    public String endpoint() {
        return config.endpoint(port());
    }

    public String accountId() {
        return accountId;
    }

    /** The key created on this start because none existed, or null. */
    public AccessKey firstKey() {
        return firstKey;
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            log.warn("Stopping the HTTP server failed", e);
        }
        serviceScheduler.close();
        try {
            secretPurge.close();
        } catch (Exception e) {
            log.warn("Stopping the secret purge failed", e);
        }
        sessions.close();
        try {
            logs.close();
        } catch (Exception e) {
            log.warn("Closing the log store failed", e);
        }
        state.close();
        store.close();
        closeQuietly(dataDirLock);
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            log.warn("Releasing {} failed", resource, e);
        }
    }

    /**
     * A key of this installation's account for an agent running beside the server: the first active
     * root key, or a new one when there is none.
     */
    public AccessKey localAgentKey() {
        String root = "arn:aws:iam::" + accountId + ":root";
        return keys.list().stream()
                .filter(k -> k.active() && k.accountId().equals(accountId) && root.equals(k.principalArn()))
                .findFirst()
                .orElseGet(() -> keys.create(accountId));
    }

    /** Identity and access of every account on this server's store. */
    public Iam iam() {
        return iam;
    }

    /** The access keys of every account this server answers. */
    public AccessKeys accessKeys() {
        return keys;
    }

    /** The agents' live sessions. */
    public AcsSessions agentSessions() {
        return sessions;
    }

    private static void createDataDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + dir, e);
        }
    }

    static void writeCredentials(Path file, AccessKey key) {
        String text = "[default]\n"
                + "aws_access_key_id = " + key.accessKeyId() + "\n"
                + "aws_secret_access_key = " + key.secretAccessKey() + "\n";
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
