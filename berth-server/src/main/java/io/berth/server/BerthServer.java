package io.berth.server;

import io.berth.control.iam.AccessKey;
import io.berth.control.iam.AccessKeys;
import io.berth.control.iam.Authorizer;
import io.berth.control.iam.Iam;
import io.berth.control.iam.RoleSessions;
import io.berth.control.store.Store;
import io.berth.server.acs.AcsSessions;
import io.berth.control.crypto.Sealer;
import io.berth.server.http.ConnectionLimits;
import io.berth.server.http.ForwardedOrigin;
import io.berth.server.http.JsonErrorHandler;
import io.berth.server.http.Probes;
import io.berth.server.metrics.Metrics;
import io.berth.server.node.Leadership;
import io.berth.store.LeaderLease;
import io.berth.store.PostgresStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import io.berth.agent.tls.ServerTrust;
import io.berth.server.tls.ServerTls;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Berth control plane: the store, the HTTP edge and, while this server leads, the services over the state
 * ({@link LeaderServices}), wired here and nowhere else. On SQLite a server always leads; servers sharing a
 * PostgreSQL store elect one leader through a lease, and the others forward to it ({@link Leadership}).
 */
public final class BerthServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BerthServer.class);
    public static final String DATABASE_FILE = StoreConfig.DATABASE_FILE;
    public static final String CREDENTIALS_FILE = "credentials";
    /** The AWS CLI profile Berth's set-up lines and credentials file name, beside the file's {@code default}. */
    public static final String PROFILE = "berth";

    private final ServerConfig config;
    private final Store store;
    private final Server jetty;
    private final Supplier<LeaderServices> leading;
    private final AutoCloseable stopLeading;
    private final AutoCloseable dataDirLock;
    private final Metrics metrics;

    private BerthServer(ServerConfig config, Store store, Server jetty, Supplier<LeaderServices> leading,
            AutoCloseable stopLeading, AutoCloseable dataDirLock, Metrics metrics) {
        this.config = config;
        this.store = store;
        this.jetty = jetty;
        this.leading = leading;
        this.stopLeading = stopLeading;
        this.dataDirLock = dataDirLock;
        this.metrics = metrics;
    }

    /**
     * Opens the data directory, loads the state and starts answering. Every call and agent session
     * of a principal other than an account's root is decided by its IAM policies; tasks get their
     * roles' credentials from Berth's own STS.
     */
    public static BerthServer start(ServerConfig config) {
        return start(config, new LeaderServices.Policies(Iam::authorizer, Iam::roleSessions));
    }

    /** As {@link #start(ServerConfig)}, with the role sessions that give tasks their roles' credentials. */
    public static BerthServer start(ServerConfig config, RoleSessions roleSessions) {
        return start(config, new LeaderServices.Policies(Iam::authorizer, iam -> roleSessions));
    }

    /**
     * As {@link #start(ServerConfig)}, with the authorizer that decides what each principal other
     * than an account's root may do, on ECS, IAM and STS.
     */
    public static BerthServer start(ServerConfig config, Authorizer authorizer) {
        return start(config, new LeaderServices.Policies(iam -> authorizer, Iam::roleSessions));
    }

    private static BerthServer start(ServerConfig config, LeaderServices.Policies policies) {
        createDataDir(config.dataDir());
        // SQLite's files are this server's alone; a node on PostgreSQL keeps its node id there.
        DataDirLock lock = DataDirLock.acquire(config.dataDir());
        try {
            return start(config, policies, lock);
        } catch (RuntimeException | Error e) {
            closeQuietly(lock);
            throw e;
        }
    }

    private static BerthServer start(ServerConfig config, LeaderServices.Policies policies, DataDirLock lock) {
        Store store = config.store().open(config.dataDir());
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("berth-http");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server jetty = new Server(threads);
        ServerConnector connector;
        try {
            connector = connector(jetty, config);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        new ConnectionLimits().apply(connector);
        jetty.addConnector(connector);
        jetty.setErrorHandler(new JsonErrorHandler());
        // Bind first: the endpoints agents are told about name the bound port.
        try {
            connector.open();
        } catch (IOException e) {
            store.close();
            throw new UncheckedIOException("Cannot listen on port " + config.port(), e);
        }
        String endpoint = config.endpoint(connector.getLocalPort());
        Metrics metrics = new Metrics();
        try {
            BerthServer server = store instanceof PostgresStore postgres
                    ? join(config, postgres, jetty, endpoint, policies, lock, metrics)
                    : alone(config, store, jetty, endpoint, policies, lock, metrics);
            log.info("Berth listening on {} (region {}, state in {})", endpoint, config.region(),
                    config.store().describe(config.dataDir()));
            return server;
        } catch (RuntimeException | Error e) {
            try {
                jetty.stop();
            } catch (Exception stopFailure) {
                e.addSuppressed(stopFailure);
            }
            metrics.close();
            store.close();
            throw e;
        }
    }

    /** The port clients and agents reach: HTTPS and WSS unless the configuration says plain HTTP. */
    private static ServerConnector connector(Server jetty, ServerConfig config) {
        HttpConfiguration http = new HttpConfiguration();
        ServerConnector connector = ServerTls.connector(jetty, http, config.tls(), config.dataDir(),
                config.certificateNames());
        connector.setHost(config.host());
        connector.setPort(config.port());
        return connector;
    }

    /** The one server of its store: it leads from start to end. */
    private static BerthServer alone(ServerConfig config, Store store, Server jetty, String endpoint,
            LeaderServices.Policies policies, AutoCloseable lock, Metrics metrics) {
        Instant started = Instant.now();
        Supplier<LeaderLease.Standing> self = () -> new LeaderLease.Standing(
                new LeaderLease.Holder("local", endpoint, 0, null), Instant.now(),
                List.of(new LeaderLease.Node("local", endpoint, started, Instant.now(), true)));
        LeaderServices services = LeaderServices.start(config, store, jetty, endpoint, policies, 0, self, metrics);
        jetty.setHandler(new Probes(services.handler(), metrics::scrape, () -> true));
        startJetty(jetty, config);
        return new BerthServer(config, store, jetty, () -> services, services, lock, metrics);
    }

    /** One of the nodes sharing a PostgreSQL store: it leads while it holds the lease, and forwards otherwise. */
    private static BerthServer join(ServerConfig config, PostgresStore store, Server jetty, String endpoint,
            LeaderServices.Policies policies, DataDirLock lock, Metrics metrics) {
        LeaderLease lease = store.leaderLease(lock.nodeId(config.dataDir()), endpoint, config.store().leaseTtl());
        var self = new Object() {
            Leadership leadership;
        };
        self.leadership = new Leadership(lease, (fencedStore, term) -> LeaderServices.start(config,
                fencedStore, jetty, endpoint, policies, term.acsSequence(), () -> self.leadership.standing(), metrics),
                new ForwardedOrigin(Sealer.fromKeyFile(config.masterKey()).derivedKey(ForwardedOrigin.KEY_PURPOSE)),
                leaderTrust(config));
        Leadership leadership = self.leadership;
        jetty.setHandler(new Probes(leadership.handler(), metrics::scrape, leadership::ready));
        startJetty(jetty, config);
        leadership.start();
        return new BerthServer(config, store, jetty, () -> (LeaderServices) leadership.leading(), leadership, lock,
                metrics);
    }

    /**
     * What a follower trusts the leader's certificate through: the CA (or operator's chain) this node trusts its own
     * through, since the nodes of one store share their CA, besides the JVM's trust store.
     */
    private static SSLContext leaderTrust(ServerConfig config) {
        Path trusted = config.trustedCertificates();
        return trusted == null ? null : ServerTrust.withCaBundle(trusted).sslContext();
    }

    private static void startJetty(Server jetty, ServerConfig config) {
        try {
            jetty.start();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the HTTP server on port " + config.port(), e);
        }
    }

    /** The services while this server leads; the error that says so otherwise. */
    private LeaderServices services() {
        LeaderServices services = leading.get();
        if (services == null) {
            throw new IllegalStateException("This Berth node does not lead at the moment");
        }
        return services;
    }

    /** The leader this node forwards to, or null while it leads. */
    public String following() {
        if (leading.get() != null) {
            return null;
        }
        LeaderLease.Holder leader = stopLeading instanceof Leadership leadership ? leadership.standing().leader() : null;
        return leader != null ? leader.endpoint() : "no leader yet";
    }

    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    public String endpoint() {
        return config.endpoint(port());
    }

    /** The certificates clients trust this server through, such as {@code <data-dir>/ca.pem}; null over plain HTTP. */
    public Path trustedCertificates() {
        return config.trustedCertificates();
    }

    public String accountId() {
        return services().accountId();
    }

    /** The key created on this start because none existed, or null. */
    public AccessKey firstKey() {
        return services().firstKey();
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
        closeQuietly(stopLeading);
        store.close();
        closeQuietly(metrics);
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
        String accountId = accountId();
        AccessKeys keys = accessKeys();
        String root = "arn:aws:iam::" + accountId + ":root";
        return keys.list().stream()
                .filter(k -> k.active() && k.accountId().equals(accountId) && root.equals(k.principalArn()))
                .findFirst()
                .orElseGet(() -> keys.create(accountId));
    }

    /** Identity and access of every account on this server's store. */
    public Iam iam() {
        return services().iam();
    }

    /** The access keys of every account this server answers. */
    public AccessKeys accessKeys() {
        return services().keys();
    }

    /** The agents' live sessions. */
    public AcsSessions agentSessions() {
        return services().sessions();
    }

    private static void createDataDir(Path dir) {
        DataDir.prepare(dir);
    }

    static void writeCredentials(Path file, AccessKey key) {
        String keyLines = "aws_access_key_id = " + key.accessKeyId() + "\n"
                + "aws_secret_access_key = " + key.secretAccessKey() + "\n";
        String text = "[default]\n" + keyLines + "\n[" + PROFILE + "]\n" + keyLines;
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
