package io.berth.server;

import io.berth.agent.Agent;
import io.berth.agent.AgentConfig;
import io.berth.agent.docker.RegistryAuth;
import io.berth.control.crypto.Resealing;
import io.berth.agent.tls.ServerTrust;
import io.berth.control.iam.AccessKey;
import io.berth.control.iam.AccessKeys;
import io.berth.control.iam.Iam;
import io.berth.control.network.Cidr;
import io.berth.control.network.TaskNetworks;
import io.berth.model.EcsException;
import io.berth.server.tls.TlsConfig;
import io.berth.control.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code berth} command line. */
@Command(name = "berth", mixinStandardHelpOptions = true, versionProvider = BerthVersion.class,
        description = "A self-hosted container service that speaks the Amazon ECS API.",
        subcommands = {Berth.ServerCommand.class, Berth.AllInOneCommand.class, AgentCommand.class, NodesCommand.class, FargateHostsCommand.class,
                Berth.KeysCommand.class,
                Berth.IamCommand.class, MasterKeyCommand.class})
public final class Berth implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@code berth} runs it. */
    static CommandLine commandLine() {
        return new CommandLine(new Berth()).setExecutionExceptionHandler(Berth::refusal);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** A master key of another store is the operator's to fix: said in one line, without a stack trace. */
    private static int refusal(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
        if (e instanceof Resealing.WrongMasterKeyException) {
            System.err.println(e.getMessage());
        } else {
            e.printStackTrace(commandLine.getErr());
        }
        return commandLine.getCommandSpec().exitCodeOnExecutionException();
    }

    /** Options every command that touches the data directory shares. */
    static final class DataOptions {
        @Option(names = "--data-dir", defaultValue = "./berth-data", description = "Where state is kept (default: ${DEFAULT-VALUE}).")
        Path dataDir;
    }

    /** Which store keeps the state; every command that opens the state shares these. */
    static final class StoreOptions {
        @Option(names = "--store", defaultValue = "sqlite", paramLabel = "sqlite|postgres",
                description = "Where state is kept: sqlite (a file in the data directory) or postgres (default: ${DEFAULT-VALUE}).")
        String store;

        @Option(names = "--jdbc-url", description = "The PostgreSQL database with --store postgres, e.g. jdbc:postgresql://db:5432/berth.")
        String jdbcUrl;

        @Option(names = "--db-user", defaultValue = "${env:BERTH_DB_USER}", description = "PostgreSQL user (default: $BERTH_DB_USER).")
        String user;

        @Option(names = "--db-password", defaultValue = "${env:BERTH_DB_PASSWORD}",
                description = "PostgreSQL password (default: $BERTH_DB_PASSWORD, which keeps it out of the process list).")
        String password;

        StoreConfig config(CommandLine commandLine) {
            return switch (store.toLowerCase(Locale.ROOT)) {
                case "sqlite" -> {
                    if (jdbcUrl != null) {
                        throw new CommandLine.ParameterException(commandLine, "--jdbc-url needs --store postgres");
                    }
                    yield StoreConfig.sqlite();
                }
                case "postgres", "postgresql" -> {
                    if (jdbcUrl == null || jdbcUrl.isBlank()) {
                        throw new CommandLine.ParameterException(commandLine, "--store postgres needs --jdbc-url");
                    }
                    yield StoreConfig.postgres(jdbcUrl, user, password);
                }
                default -> throw new CommandLine.ParameterException(commandLine,
                        "Unknown store '" + store + "': use sqlite or postgres");
            };
        }
    }

    @Command(name = "server", mixinStandardHelpOptions = true, description = "Runs the control plane.")
    static class ServerCommand implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DataOptions data = new DataOptions();

        @CommandLine.Mixin
        StoreOptions storeOptions = new StoreOptions();

        @CommandLine.Mixin
        LogOptions logs = new LogOptions();

        @Option(names = "--port", defaultValue = "8773", description = "HTTP port (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
        String host;

        @Option(names = "--region", defaultValue = "us-east-1", description = "Region for unscoped requests and printed configuration (default: ${DEFAULT-VALUE}).")
        String region;

        @Option(names = "--account-id", description = "Account id to create on first start (default: random).")
        String accountId;

        @Option(names = "--partition", defaultValue = "aws", description = "ARN partition (default: ${DEFAULT-VALUE}).")
        String partition;

        @Option(names = "--public-endpoint", description = "URL that clients and agents use to reach this server.")
        String publicEndpoint;

        @Option(names = "--dev", description = "Accept any credentials and enable POST /_berth/reset. Never in production.")
        boolean dev;

        @Option(names = "--master-key-file", defaultValue = "${env:BERTH_MASTER_KEY_FILE}",
                description = "The key that encrypts secret keys, SecureStrings and secret values at rest, created when missing "
                        + "(default: master.key in the data directory; every node of one store needs the same).")
        Path masterKeyFile;

        @Option(names = "--lease-ttl", defaultValue = "10", paramLabel = "SECONDS",
                description = "With --store postgres, how long the leader's lease runs unless renewed: another node "
                        + "takes over that long after the leader stopped (default: ${DEFAULT-VALUE}).")
        double leaseTtlSeconds;

        @Option(names = "--poll-endpoint", paramLabel = "URL",
                description = "What DiscoverPollEndpoint answers (default: this server's endpoint; among several nodes, "
                        + "the leader's): an address in front of every node whose health check is GET /_berth/leader, "
                        + "for agents that keep the answer for hours, such as the official agent.")
        String pollEndpoint;

        @Option(names = "--task-network-range", defaultValue = "10.200.0.0/16", paramLabel = "CIDR",
                description = "The private IPv4 range the addresses of awsvpc tasks come from: each subnet id a task "
                        + "names gets a /24 of it, for good (default: ${DEFAULT-VALUE}).")
        String taskNetworkRange;

        @Option(names = "--tls-cert", paramLabel = "PEM",
                description = "The server's certificate chain, its own certificate first, reloaded when it changes "
                        + "(with --tls-key; default: a certificate issued by a CA Berth creates in the data directory, "
                        + "whose certificate clients trust through ca.pem there).")
        Path tlsCertificate;

        @Option(names = "--tls-key", paramLabel = "PEM", description = "The private key of --tls-cert, unencrypted, "
                + "reloaded when it changes.")
        Path tlsKey;

        @Option(names = "--http", description = "Serve plain HTTP instead of HTTPS, for a proxy in front that "
                + "terminates TLS.")
        boolean plainHttp;

        TlsConfig tls() {
            if (plainHttp && (tlsCertificate != null || tlsKey != null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--http excludes --tls-cert and --tls-key");
            }
            if ((tlsCertificate == null) != (tlsKey == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
            }
            return plainHttp ? TlsConfig.none()
                    : tlsCertificate != null ? TlsConfig.operator(tlsCertificate, tlsKey)
                    : TlsConfig.selfSigned();
        }

        ServerConfig config() {
            if (!(leaseTtlSeconds >= 0.2 && leaseTtlSeconds <= 3600)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--lease-ttl must be between 0.2 and 3600 seconds");
            }
            StoreConfig store = storeOptions.config(spec.commandLine())
                    .withLeaseTtl(java.time.Duration.ofMillis(Math.round(leaseTtlSeconds * 1000)));
            Cidr range;
            try {
                range = Cidr.parse(taskNetworkRange);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--task-network-range: " + e.getMessage());
            }
            if (range.prefix() > TaskNetworks.SUBNET_PREFIX) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--task-network-range must hold at least one /" + TaskNetworks.SUBNET_PREFIX);
            }
            return new ServerConfig(host, port, data.dataDir, region, accountId, partition, dev, publicEndpoint,
                    store, masterKeyFile, pollEndpoint, range, tls());
        }

        @Override
        public Integer call() throws Exception {
            logs.apply();
            ServerConfig config = config();
            try (BerthServer server = BerthServer.start(config)) {
                Runtime.getRuntime().addShutdownHook(new Thread(server::close));
                printWelcome(server, config);
                server.join();
            }
            return 0;
        }

        static void printWelcome(BerthServer server, ServerConfig config) {
            String following = server.following();
            String listening = "Berth is listening on " + listening(config, server.port(), server.endpoint());
            if (following != null) {
                System.out.println(listening + " (following " + following + ")");
                return;
            }
            System.out.println(listening + " (account " + server.accountId() + ")");
            AccessKey key = server.firstKey();
            if (key != null) {
                System.out.println("Created the first access key; it is also in "
                        + config.dataDir().resolve(BerthServer.CREDENTIALS_FILE) + ". Configure the AWS CLI with:");
                printProfile(key, config.region());
            }
            if (config.dev()) {
                System.out.println("Development mode: any credentials are accepted.");
            }
            if (config.tls().mode() == TlsConfig.Mode.SELF_SIGNED) {
                System.out.println("  export AWS_CA_BUNDLE=" + server.trustedCertificates().toAbsolutePath());
            }
            System.out.println("Try: aws --endpoint-url " + server.endpoint() + " ecs list-clusters");
        }

        /** The endpoint; bound to every address, also the address and port, since the endpoint names only one. */
        static String listening(ServerConfig config, int port, String endpoint) {
            String host = config.host() == null || config.host().isEmpty() ? "0.0.0.0" : config.host();
            boolean everyAddress = "0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host);
            return everyAddress ? host + ":" + port + " (every address of this host) as " + endpoint : endpoint;
        }
    }

    @Command(name = "all-in-one", mixinStandardHelpOptions = true,
            description = "Runs the control plane and agents for this host's Docker Engine, in cluster 'default' and for "
                    + "Fargate.")
    static final class AllInOneCommand extends ServerCommand {

        @Option(names = "--docker-host", description = "The Docker Engine (default: $DOCKER_HOST or the local socket).")
        String dockerHost;

        @Option(names = "--engine-auth-data", paramLabel = "JSON|FILE", defaultValue = "${env:ECS_ENGINE_AUTH_DATA}",
                description = AgentCommand.ENGINE_AUTH_HELP)
        String engineAuthData;

        @Option(names = "--task-credentials-endpoint", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Serve task role credentials to task containers at 169.254.170.2, routed there with "
                        + "iptables rules of the agent's own (default: on when run as root; --no-task-credentials-endpoint "
                        + "leaves the host's network alone).")
        boolean taskCredentialsEndpoint;

        @Option(names = "--fargate", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Give this host to Fargate as well, through a second agent with its own data directory, "
                        + "so that Fargate tasks of every cluster run here (default: on; --no-fargate gives it to "
                        + "cluster 'default' only).")
        boolean fargate;

        @Override
        public Integer call() throws Exception {
            logs.apply();
            ServerConfig config = config();
            RegistryAuth registryAuth = AgentCommand.registryAuth(engineAuthData);
            try (BerthServer server = BerthServer.start(config)) {
                printWelcome(server, config);
                AccessKey key = server.localAgentKey();
                AgentConfig agentConfig = AgentCommand.localAgent(server.endpoint(), config.region(), key,
                        config.dataDir().resolve("agent"), dockerHost, taskCredentialsEndpoint)
                        .withRegistryAuth(registryAuth).withServerTrust(localTrust(server));
                Agent agent;
                try {
                    agent = Agent.start(agentConfig);
                } catch (RuntimeException e) {
                    System.out.println("No local agent: " + e.getMessage()
                            + "\nThe control plane keeps running; start Docker and run 'berth agent' to add this host.");
                    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
                    server.join();
                    return 0;
                }
                try (agent) {
                    System.out.println("This host joined cluster 'default' as " + agent.containerInstanceArn());
                    try (Agent fargateAgent = fargate
                            ? fargateAgent(server, config, key, dockerHost, registryAuth, agent) : null) {
                        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                            if (fargateAgent != null) {
                                fargateAgent.close();
                            }
                            agent.close();
                            server.close();
                        }));
                        if (fargateAgent != null) {
                            System.out.println("This host runs Fargate tasks as "
                                    + fargateAgent.containerInstanceArn());
                        }
                        server.join();
                    }
                }
            }
            return 0;
        }
    }

    /** The AWS CLI's profile {@value BerthServer#PROFILE} with the key, leaving the user's default profile alone. */
    static void printProfile(AccessKey key, String region) {
        String profile = " --profile " + BerthServer.PROFILE;
        System.out.println("  aws configure set aws_access_key_id " + key.accessKeyId() + profile);
        System.out.println("  aws configure set aws_secret_access_key " + key.secretAccessKey() + profile);
        System.out.println("  aws configure set region " + region + profile);
        System.out.println("  export AWS_PROFILE=" + BerthServer.PROFILE);
    }

    /**
     * The agent that gives the host to Fargate beside the cluster's agent, with a data directory of its own so that
     * neither agent ever adopts or stops the other's containers; null, with a line saying why, when it cannot start.
     */
    static Agent fargateAgent(BerthServer server, ServerConfig config, AccessKey key, String dockerHost,
            RegistryAuth registryAuth, Agent beside) {
        AgentConfig fargateConfig = AgentCommand.localFargateAgent(server.endpoint(), config.region(), key,
                config.dataDir().resolve("agent-fargate"), dockerHost).withRegistryAuth(registryAuth)
                .withServerTrust(localTrust(server));
        try {
            return Agent.startBeside(fargateConfig, beside);
        } catch (RuntimeException e) {
            System.out.println("This host runs no Fargate tasks: " + e.getMessage());
            return null;
        }
    }

    /** What the agents beside a server trust it through: its own CA (or the operator's chain) besides the JVM's. */
    static ServerTrust localTrust(BerthServer server) {
        Path trusted = server.trustedCertificates();
        return trusted == null ? ServerTrust.jvmDefault() : ServerTrust.withCaBundle(trusted);
    }

    @Command(name = "keys", mixinStandardHelpOptions = true, description = "Manages access keys.",
            subcommands = {KeysCreate.class, KeysList.class, KeysDelete.class})
    static final class KeysCommand implements Runnable {
        @Override
        public void run() {
            new CommandLine(this).usage(System.out);
        }
    }

    abstract static class KeysAction implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DataOptions data = new DataOptions();

        @CommandLine.Mixin
        StoreOptions storeOptions = new StoreOptions();

        @CommandLine.Mixin
        MasterKeyOption masterKey = new MasterKeyOption();

        @Override
        public Integer call() {
            try (Store store = storeOptions.config(spec.commandLine()).open(DataDir.prepare(data.dataDir))) {
                return run(new AccessKeys(store, MasterKeys.open(masterKey.file(data.dataDir), store), Clock.systemUTC()));
            }
        }

        abstract int run(AccessKeys keys);
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates an access key for the account's root.")
    static final class KeysCreate extends KeysAction {
        @Option(names = "--account-id", description = "Account of the key (default: this installation's account).")
        String accountId;

        @Override
        int run(AccessKeys keys) {
            AccessKey key = keys.create(keys.account(accountId).accountId());
            System.out.println("aws_access_key_id = " + key.accessKeyId());
            System.out.println("aws_secret_access_key = " + key.secretAccessKey());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists access keys (without secrets).")
    static final class KeysList extends KeysAction {
        @Override
        int run(AccessKeys keys) {
            for (AccessKey key : keys.list()) {
                System.out.println(key.accessKeyId() + "\t" + key.accountId() + "\t" + key.status() + "\t"
                        + key.principalArn() + "\t" + key.created());
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes an access key.")
    static final class KeysDelete extends KeysAction {
        @Parameters(paramLabel = "ACCESS_KEY_ID")
        String accessKeyId;

        @Override
        int run(AccessKeys keys) {
            if (!keys.delete(accessKeyId)) {
                System.err.println("No access key " + accessKeyId);
                return 1;
            }
            System.out.println("Deleted " + accessKeyId);
            return 0;
        }
    }

    @Command(name = "iam", mixinStandardHelpOptions = true, description = "Manages IAM users without the API.",
            subcommands = {BootstrapAdmin.class})
    static final class IamCommand implements Runnable {
        @Override
        public void run() {
            new CommandLine(this).usage(System.out);
        }
    }

    @Command(name = "bootstrap-admin", mixinStandardHelpOptions = true,
            description = "Creates an IAM user with AdministratorAccess and an access key, and prints the aws configure lines.")
    static final class BootstrapAdmin implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DataOptions data = new DataOptions();

        @CommandLine.Mixin
        StoreOptions storeOptions = new StoreOptions();

        @CommandLine.Mixin
        MasterKeyOption masterKey = new MasterKeyOption();

        @Option(names = "--user", required = true, description = "The user's name (created when missing).")
        String userName;

        @Option(names = "--account-id", description = "Account of the user (default: this installation's account).")
        String accountId;

        @Option(names = "--partition", defaultValue = "aws", description = "ARN partition (default: ${DEFAULT-VALUE}).")
        String partition;

        @Option(names = "--region", defaultValue = "us-east-1", description = "Region for the printed configuration (default: ${DEFAULT-VALUE}).")
        String region;

        @Override
        public Integer call() {
            try (Store store = storeOptions.config(spec.commandLine()).open(DataDir.prepare(data.dataDir))) {
                Clock clock = Clock.systemUTC();
                AccessKeys keys = new AccessKeys(store, MasterKeys.open(masterKey.file(data.dataDir), store), clock);
                String account = keys.account(accountId).accountId();
                AccessKey key;
                try {
                    key = new Iam(store, keys, clock).bootstrapAdmin(partition, account, userName);
                } catch (EcsException e) {
                    System.err.println(e.code() + ": " + e.getMessage());
                    return 1;
                }
                System.out.println("User " + key.principalArn() + " has AdministratorAccess. Configure the AWS CLI with:");
                printProfile(key, region);
                return 0;
            }
        }
    }
}
