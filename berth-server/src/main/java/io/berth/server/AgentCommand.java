package io.berth.server;

import io.berth.agent.Agent;
import io.berth.agent.AgentConfig;
import io.berth.agent.docker.RegistryAuth;
import io.berth.agent.tls.ServerTrust;
import io.berth.control.fargate.FargatePool;
import io.berth.control.iam.AccessKey;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/** {@code berth agent}: joins this host's Docker Engine to a cluster of a Berth (or ECS) endpoint. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Runs the container agent: registers this host and runs the tasks the control plane sends.")
final class AgentCommand implements Callable<Integer> {

    @Option(names = "--endpoint", required = true, description = "The control plane, e.g. https://cloud:8773.")
    URI endpoint;

    @Option(names = "--ca-bundle", paramLabel = "PEM", description = "Certificates of CAs to trust the endpoint "
            + "through besides the JVM's trust store, such as a Berth server's <data-dir>/ca.pem.")
    Path caBundle;

    @Option(names = "--cluster", description = "The cluster to join (default: 'default', created when missing).")
    String cluster;

    @Option(names = "--fargate", description = "Give this host to Fargate instead of a cluster: it joins the account's "
            + "Fargate pool, runs the Fargate tasks of every cluster of the account and region, and is no container "
            + "instance of any cluster ('berth fargate-hosts' lists such hosts).")
    boolean fargate;

    @Option(names = "--region", defaultValue = "us-east-1", description = "Region to sign for (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--credentials-file", description = "An AWS shared-credentials file, such as a server's <data-dir>/credentials "
            + "(default: the AWS SDK's usual places: environment, ~/.aws/credentials, ...).")
    Path credentialsFile;

    @Option(names = "--profile", defaultValue = "default", description = "Profile in the credentials file (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--data-dir", defaultValue = "./berth-agent-data", description = "Where the agent keeps its checkpoint (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--docker-host", description = "The Docker Engine (default: $DOCKER_HOST or the local socket).")
    String dockerHost;

    @Option(names = "--attribute", description = "A custom attribute name=value (repeatable).")
    Map<String, String> attributes = new LinkedHashMap<>();

    @Option(names = "--tag", description = "A tag of the container instance key=value (repeatable).")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--reserved-memory", defaultValue = "0", description = "MiB kept back from tasks (default: ${DEFAULT-VALUE}).")
    int reservedMemory;

    @Option(names = "--reserved-ports", split = ",", paramLabel = "PORT",
            description = "TCP host ports tasks may not take, comma-separated (default: 22,2375,2376,51678,51679).")
    List<Integer> reservedPorts;

    @Option(names = "--task-credentials-endpoint", description = "Serve the task metadata and credentials endpoint "
            + "on 127.0.0.1:51679 and route 169.254.170.2:80 there for task containers, so that AWS SDKs in tasks act "
            + "as their task role (needs root and iptables).")
    boolean taskCredentialsEndpoint;

    @Option(names = "--engine-auth-data", paramLabel = "JSON|FILE", defaultValue = "${env:ECS_ENGINE_AUTH_DATA}",
            description = ENGINE_AUTH_HELP)
    String engineAuthData;

    static final String ENGINE_AUTH_HELP = "Private registry credentials as the ECS agent's ECS_ENGINE_AUTH_DATA "
            + "(auth type docker or dockercfg): {\"host:port\":{\"username\":\"u\",\"password\":\"p\"}}, or a file "
            + "holding it (default: $ECS_ENGINE_AUTH_DATA).";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    LogOptions logs = new LogOptions();

    @Override
    public Integer call() throws Exception {
        logs.apply();
        AgentConfig config = config();
        try (Agent agent = Agent.start(config)) {
            Runtime.getRuntime().addShutdownHook(new Thread(agent::close));
            System.out.println((fargate ? "Gave this host to Fargate at " : "Joined ") + endpoint + " as "
                    + agent.containerInstanceArn());
            Thread.currentThread().join();
        }
        return 0;
    }

    AgentConfig config() throws IOException {
        if (fargate && cluster != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fargate and --cluster exclude each other");
        }
        AgentConfig config = new AgentConfig(fargate ? FargatePool.NAME : cluster, region, endpoint, credentials(), dataDir, dockerHost,
                reservedMemory, reservedPorts, null, attributes, tags, null, null, null, null, null,
                registryAuth(engineAuthData));
        if (taskCredentialsEndpoint) {
            config = config.withTaskCredentialsEndpoint();
        }
        if (caBundle != null) {
            config = config.withServerTrust(ServerTrust.withCaBundle(caBundle));
        }
        return config;
    }

    private AwsCredentialsProvider credentials() {
        return credentials(credentialsFile, profile);
    }

    /** The profile of a shared-credentials file, or the SDK's usual places when there is no file. */
    static AwsCredentialsProvider credentials(Path credentialsFile, String profile) {
        if (credentialsFile == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        return ProfileCredentialsProvider.builder()
                .profileFile(ProfileFile.builder().content(credentialsFile).type(ProfileFile.Type.CREDENTIALS).build())
                .profileName(profile)
                .build();
    }

    /**
     * The agent that {@code berth all-in-one} runs beside its server; run as root, it serves the task credentials
     * endpoint at the ECS address unless another agent on the host already does or {@code credentialsEndpoint} is off.
     */
    static AgentConfig localAgent(String endpoint, String region, AccessKey key, Path dataDir, String dockerHost,
            boolean credentialsEndpoint) {
        AgentConfig config = localAgent(null, endpoint, region, key, dataDir, dockerHost);
        if (!credentialsEndpoint) {
            return config;
        }
        boolean possible = "root".equals(System.getProperty("user.name")) && isFree(AgentConfig.ECS_METADATA_ADDRESS);
        if (!possible) {
            System.out.println("Tasks get no role credentials from this host: the credentials endpoint needs root and "
                    + "a free " + AgentConfig.ECS_METADATA_ADDRESS + ".");
        }
        return possible ? config.withTaskCredentialsEndpoint() : config;
    }

    /**
     * The second agent {@code berth all-in-one} runs, which gives its host to Fargate as well; its tasks use the
     * credentials endpoint of the first (see {@link Agent#startBeside}).
     */
    static AgentConfig localFargateAgent(String endpoint, String region, AccessKey key, Path dataDir,
            String dockerHost) {
        return localAgent(FargatePool.NAME, endpoint, region, key, dataDir, dockerHost);
    }

    private static AgentConfig localAgent(String cluster, String endpoint, String region, AccessKey key, Path dataDir,
            String dockerHost) {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
        return new AgentConfig(cluster, region, URI.create(endpoint), credentials, dataDir, dockerHost, 0,
                null, null, null, null, null, null, null, null, null, null);
    }

    private static boolean isFree(InetSocketAddress address) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(address);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@code --engine-auth-data}: the JSON object itself, or the path of a file holding it (which keeps the passwords
     * out of the process list).
     */
    static RegistryAuth registryAuth(String engineAuthData) throws IOException {
        if (engineAuthData == null || engineAuthData.isBlank()) {
            return RegistryAuth.NONE;
        }
        String json = engineAuthData.strip().startsWith("{") ? engineAuthData : Files.readString(Path.of(engineAuthData));
        return RegistryAuth.parse(json);
    }
}
