package io.berth.agent;

import io.berth.agent.acs.AcsSession;
import io.berth.agent.acs.AcsSettings;
import io.berth.agent.acs.AcsTasks;
import io.berth.agent.acs.TaskCredentials;
import io.berth.agent.acs.TelemetrySession;
import io.berth.agent.awsvpc.BridgeSetup;
import io.berth.agent.awsvpc.TaskNetworks;
import io.berth.agent.docker.DockerRuntime;
import io.berth.agent.engine.Checkpoint;
import io.berth.agent.engine.EcsStateReporter;
import io.berth.agent.engine.EngineSettings;
import io.berth.agent.engine.InvalidTaskException;
import io.berth.agent.engine.TaskEngine;
import io.berth.agent.logs.LogShipping;
import io.berth.agent.metadata.CredentialsRoute;
import io.berth.agent.metadata.MetadataServer;
import io.berth.agent.secrets.SecretResolver;
import io.berth.model.acs.AcsTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.EcsClientBuilder;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.RegisterContainerInstanceRequest;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * Berth's container agent: registers this host as a container instance, runs the tasks the control plane sends
 * over ACS on the local Docker daemon, reports their state and their containers' health (over telemetry) and serves
 * the task metadata endpoint.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    public static final String VERSION = "0.1.0";
    static final String HASH = "berth";
    static final int FIRST_DOCKER_API_MINOR = 17;
    static final int LAST_DOCKER_API_MINOR = 44;
    /** The bridge task containers sit on in bridge network mode. */
    private static final String DOCKER_BRIDGE = "docker0";
    private static final Duration POLL_ENDPOINT_TTL = Duration.ofHours(12);
    private static final Duration REGISTER_RETRY_LIMIT = Duration.ofHours(1);

    private final AgentConfig config;
    private final EcsClient ecs;
    private final DockerRuntime docker;
    private final Checkpoint checkpoint;
    private final TaskCredentials credentials = new TaskCredentials();
    private LogShipping logs;
    private TaskEngine engine;
    private AcsSession session;
    private TelemetrySession telemetry;
    private MetadataServer metadata;
    private CredentialsRoute credentialsRoute;
    private String containerInstanceArn;
    private PollEndpoints cachedEndpoints;
    private Instant cachedEndpointsAt;

    /** The agent of this host whose metadata endpoint this agent's tasks use; null when it serves its own. */
    private final Agent metadataHost;

    private Agent(AgentConfig config, Agent metadataHost) {
        this.config = config;
        this.metadataHost = metadataHost;
        EcsClientBuilder builder = EcsClient.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(config.credentials())
                .httpClient(config.serverTrust().sdkHttpClient());
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        this.ecs = builder.build();
        this.docker = DockerRuntime.connect(config.dockerHost(), config.registryAuth());
        this.checkpoint = config.dataDirectory() == null ? Checkpoint.inMemory()
                : Checkpoint.at(config.dataDirectory().resolve("ecs_agent_data.json"));
    }

    /**
     * Starts an agent: registers (again, with the checkpointed ARN, after a restart), resumes the checkpointed
     * tasks and opens the ACS session. Fails when the control plane refuses the registration for good.
     */
    public static Agent start(AgentConfig config) {
        return start(new Agent(config, null));
    }

    /**
     * Starts a second agent of this host beside {@code host}, as {@code berth all-in-one} runs one for its cluster
     * and one for Fargate: with its own registration, checkpoint and tasks, whose containers reach the task metadata
     * and credentials endpoint {@code host} serves (one address per host), which answers for them too.
     */
    public static Agent startBeside(AgentConfig config, Agent host) {
        return start(new Agent(config, host));
    }

    private static Agent start(Agent agent) {
        try {
            agent.run();
            return agent;
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    private void run() {
        String dockerVersion = docker.serverVersion();
        if (config.metadataAddress() != null && AgentConfig.ECS_METADATA_URI.equals(config.metadataBaseUri())) {
            // Before registering: the task role capability is only claimed when containers reach the endpoint.
            credentialsRoute = CredentialsRoute.install(config.metadataAddress().getPort(), DOCKER_BRIDGE).orElse(null);
        }
        containerInstanceArn = register();
        checkpoint.saveInstanceArn(containerInstanceArn);
        LOG.info("Registered as {} in cluster {}", containerInstanceArn, config.clusterName());

        EngineSettings settings = EngineSettings.defaults(config.clusterName())
                .withImagePullBehavior(config.imagePullBehavior())
                .withTaskCleanupWait(config.taskCleanupWait())
                .withMetadataBaseUri(metadataHost != null ? metadataHost.metadataBaseUri()
                        : config.metadataAddress() == null ? null : config.metadataBaseUri());
        logs = LogShipping.start(docker, config.dataDirectory(), config.endpoint(), config.region(),
                config.serverTrust());
        ExecutionResources resources = new ExecutionResources(logs, SecretResolver.of(config.endpoint(),
                config.region(), config.serverTrust()), credentials, config.credentials());
        // A second agent beside a first one uses the first one's route to the credentials endpoint.
        CredentialsRoute route = credentialsRoute != null ? credentialsRoute
                : metadataHost != null ? metadataHost.credentialsRoute : null;
        BridgeSetup bridges = route == null ? BridgeSetup.NONE : route::allowFrom;
        engine = new TaskEngine(docker, new EcsStateReporter(ecs), checkpoint, settings, resources, bridges);
        engine.start();
        if (metadataHost != null && metadataHost.metadata != null) {
            metadataHost.metadata.alsoServe(engine, credentials, config.clusterName());
        } else if (config.metadataAddress() != null) {
            metadata = MetadataServer.start(config.metadataAddress(), engine, credentials, config.clusterName());
        }
        AcsSettings sessionSettings = AcsSettings.defaults(config.clusterName(), containerInstanceArn, config.region(),
                VERSION, HASH, dockerVersion).withServerTrust(config.serverTrust());
        telemetry = new TelemetrySession(sessionSettings, pollEndpoint(PollEndpoints::telemetry), config.credentials(),
                engine::tasks);
        telemetry.start();
        session = new AcsSession(sessionSettings, pollEndpoint(PollEndpoints::acs), config.credentials(),
                new EngineTasks(engine), credentials);
        session.start();
    }

    /** Where this agent's task containers reach their metadata endpoint; null when they have none. */
    private String metadataBaseUri() {
        return metadata == null ? null : config.metadataBaseUri();
    }

    /** The ARN the control plane gave this host. */
    public String containerInstanceArn() {
        return containerInstanceArn;
    }

    /** The task engine, for inspection. */
    public TaskEngine engine() {
        return engine;
    }

    /** Whether the ACS session is connected right now. */
    public boolean connected() {
        return session != null && session.connected();
    }

    /** Whether the control plane refused this instance as deregistered when the session last tried to connect. */
    public boolean deregistered() {
        return session != null && session.deregistered();
    }

    /** Stops the agent; running task containers are left running and re-adopted by the next start. */
    @Override
    public void close() {
        if (session != null) {
            session.close();
        }
        if (telemetry != null) {
            telemetry.close();
        }
        if (metadata != null) {
            metadata.close();
        }
        if (metadataHost != null && metadataHost.metadata != null && engine != null) {
            metadataHost.metadata.stopServing(engine);
        }
        if (credentialsRoute != null) {
            credentialsRoute.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (logs != null) {
            logs.close();
        }
        docker.close();
        ecs.close();
    }

    // ---- registration

    private String register() {
        String previous = checkpoint.instanceArn();
        RegisterContainerInstanceRequest.Builder request = RegisterContainerInstanceRequest.builder()
                .cluster(config.clusterName())
                .instanceIdentityDocument("")
                .instanceIdentityDocumentSignature("")
                .totalResources(resources())
                .attributes(attributes(previous == null));
        if (previous != null) {
            request.containerInstanceArn(previous);
        }
        if (!config.instanceTags().isEmpty()) {
            request.tags(new TreeMap<>(config.instanceTags()).entrySet().stream()
                    .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList());
        }
        Instant giveUp = Instant.now().plus(REGISTER_RETRY_LIMIT);
        Duration backoff = Duration.ofSeconds(3);
        boolean createdCluster = false;
        while (true) {
            // the official agent also sends a fresh clientToken, a member the public SDK model does not have
            RegisterContainerInstanceRequest attempt = request.build();
            try {
                ContainerInstance instance = ecs.registerContainerInstance(attempt).containerInstance();
                if (instance == null || instance.containerInstanceArn() == null) {
                    throw new AgentStartException("RegisterContainerInstance returned no container instance");
                }
                checkAttributesEchoed(attempt.attributes(), instance.attributes());
                return instance.containerInstanceArn();
            } catch (ClusterNotFoundException e) {
                if (config.cluster() != null || createdCluster) {
                    throw new AgentStartException("Cluster " + config.clusterName() + " not found", e);
                }
                ecs.createCluster(r -> r.clusterName(config.clusterName()));
                createdCluster = true;
            } catch (EcsException e) {
                String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
                boolean transient_ = e.statusCode() >= 500 || code.equals("ThrottlingException")
                        || code.equals("ServerException") || code.equals("LimitExceededException");
                if (!transient_ || Instant.now().isAfter(giveUp)) {
                    throw new AgentStartException("Registration refused: " + e.getMessage(), e);
                }
                LOG.warn("Registration failed ({}), retrying in {}", e.getMessage(), backoff);
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(192)) > 0
                        ? Duration.ofSeconds(192) : backoff.multipliedBy(2);
            }
        }
    }

    private static void checkAttributesEchoed(List<Attribute> sent, List<Attribute> echoed) {
        Map<String, String> answered = echoed.stream().collect(Collectors.toMap(Attribute::name,
                a -> Objects.requireNonNullElse(a.value(), ""), (a, b) -> a));
        for (Attribute attribute : sent) {
            String value = Objects.requireNonNullElse(attribute.value(), "");
            if (!value.equals(answered.get(attribute.name()))) {
                throw new AgentStartException("AttributeError: the control plane did not keep attribute "
                        + attribute.name());
            }
        }
    }

    List<Resource> resources() {
        int cpu = Runtime.getRuntime().availableProcessors() * 1024;
        long memory = Math.max(0, totalMemoryMib() - config.reservedMemoryMib());
        return List.of(
                Resource.builder().name("CPU").type("INTEGER").integerValue(cpu).build(),
                Resource.builder().name("MEMORY").type("INTEGER").integerValue((int) memory).build(),
                Resource.builder().name("PORTS").type("STRINGSET")
                        .stringSetValue(config.reservedPorts().stream().map(String::valueOf).toList()).build(),
                Resource.builder().name("PORTS_UDP").type("STRINGSET")
                        .stringSetValue(config.reservedUdpPorts().stream().map(String::valueOf).toList()).build());
    }

    List<Attribute> attributes(boolean firstRegistration) {
        List<Attribute> attributes = new ArrayList<>();
        if (firstRegistration) {
            new TreeMap<>(config.instanceAttributes()).forEach((name, value) ->
                    attributes.add(Attribute.builder().name(name).value(value).build()));
        }
        // a set: ECS_AVAILABLE_LOGGING_DRIVERS may name awslogs, which the agent ships itself anyway
        Set<String> capabilities = new LinkedHashSet<>();
        capabilities.add("com.amazonaws.ecs.capability.privileged-container");
        for (String version : supportedDockerApiVersions(docker.apiVersionRange())) {
            capabilities.add("com.amazonaws.ecs.capability.docker-remote-api." + version);
        }
        for (String driver : config.loggingDrivers()) {
            capabilities.add("com.amazonaws.ecs.capability.logging-driver." + driver);
        }
        capabilities.addAll(LogShipping.CAPABILITIES);
        capabilities.addAll(SecretResolver.CAPABILITIES);
        capabilities.add("ecs.capability.container-health-check");
        capabilities.add("ecs.capability.container-ordering");
        capabilities.add("ecs.capability.docker-plugin.local");
        capabilities.addAll(TaskNetworks.CAPABILITIES);
        if (credentialsRoute != null || metadataHost != null && metadataHost.credentialsRoute != null) {
            capabilities.add("com.amazonaws.ecs.capability.task-iam-role");
            capabilities.add("com.amazonaws.ecs.capability.task-iam-role-network-host");
        }
        capabilities.forEach(name -> attributes.add(Attribute.builder().name(name).build()));
        attributes.add(Attribute.builder().name("ecs.os-type").value("linux").build());
        attributes.add(Attribute.builder().name("ecs.os-family").value("LINUX").build());
        attributes.add(Attribute.builder().name("ecs.cpu-architecture").value(cpuArchitecture()).build());
        return attributes;
    }

    /** The Docker API versions 1.17 to 1.44 that fall within what the daemon accepts. */
    static List<String> supportedDockerApiVersions(List<String> range) {
        int minimum = minor(range.get(0));
        int maximum = minor(range.get(1));
        List<String> versions = new ArrayList<>();
        for (int minor = FIRST_DOCKER_API_MINOR; minor <= LAST_DOCKER_API_MINOR; minor++) {
            if (minor >= minimum && minor <= maximum) {
                versions.add("1." + minor);
            }
        }
        return versions;
    }

    private static int minor(String apiVersion) {
        String[] parts = apiVersion.split("\\.");
        return parts.length < 2 ? 0 : Integer.parseInt(parts[1]);
    }

    private static String cpuArchitecture() {
        String arch = System.getProperty("os.arch");
        return arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "x86_64";
    }

    private static long totalMemoryMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn("Cannot read /proc/meminfo: {}", e.getMessage());
        }
        return Runtime.getRuntime().maxMemory() / (1024 * 1024);
    }

    // ---- ACS endpoint discovery

    /** Where the ACS and telemetry websockets are, as DiscoverPollEndpoint answers. */
    private record PollEndpoints(String acs, String telemetry) {
    }

    /** One of the endpoints DiscoverPollEndpoint answers; one that cannot be reached is asked for again. */
    private io.berth.agent.acs.SessionEndpoint pollEndpoint(java.util.function.Function<PollEndpoints, String> which) {
        return new io.berth.agent.acs.SessionEndpoint() {
            @Override
            public String get() {
                return which.apply(pollEndpoints());
            }

            @Override
            public void unreachable() {
                forgetPollEndpoints();
            }
        };
    }

    /**
     * Forgets the cached answer, so that the next connection asks DiscoverPollEndpoint again: the endpoint may have
     * moved to another node of the control plane. Should the call fail, the answer forgotten is still used.
     */
    private synchronized void forgetPollEndpoints() {
        cachedEndpointsAt = Instant.EPOCH;
    }

    /** DiscoverPollEndpoint, cached for 12 hours; an expired answer is still used when the call fails. */
    private synchronized PollEndpoints pollEndpoints() {
        if (cachedEndpoints != null && Instant.now().isBefore(cachedEndpointsAt.plus(POLL_ENDPOINT_TTL))) {
            return cachedEndpoints;
        }
        try {
            var answer = ecs.discoverPollEndpoint(r -> r.cluster(config.clusterName())
                    .containerInstance(containerInstanceArn));
            PollEndpoints endpoints = new PollEndpoints(answer.endpoint(), answer.telemetryEndpoint());
            if (endpoints.acs() != null) {
                cachedEndpoints = endpoints;
                cachedEndpointsAt = Instant.now();
            }
            return endpoints;
        } catch (RuntimeException e) {
            if (cachedEndpoints != null) {
                LOG.warn("DiscoverPollEndpoint failed, using the last answer: {}", e.getMessage());
                return cachedEndpoints;
            }
            throw e;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentStartException("Interrupted while registering", e);
        }
    }

    /** The engine as ACS sees it. */
    private record EngineTasks(TaskEngine engine) implements AcsTasks {
        @Override
        public void apply(AcsTask task) throws InvalidTaskException {
            engine.apply(task);
        }

        @Override
        public void stop(String taskArn) {
            engine.stopTask(taskArn);
        }

        @Override
        public Set<String> desiredRunning() {
            return engine.tasksDesiredRunning();
        }
    }
}
