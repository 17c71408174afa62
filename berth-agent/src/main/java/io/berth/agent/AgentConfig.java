package io.berth.agent;

import io.berth.agent.docker.RegistryAuth;
import io.berth.agent.engine.ImagePullBehavior;
import io.berth.agent.tls.ServerTrust;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * How the agent runs; the counterpart of the official agent's {@code ECS_*} settings.
 *
 * @param cluster the cluster to join, sent verbatim; null means {@code default}, created when missing
 * @param region the region for signing and for the default endpoint
 * @param endpoint the ECS API endpoint ({@code ECS_BACKEND_HOST}); null for the SDK's regional endpoint
 * @param credentials the agent's own identity
 * @param dataDirectory where the checkpoint lives ({@code ECS_DATADIR}); null keeps no checkpoint
 * @param dockerHost the Docker daemon; null for {@code DOCKER_HOST} or the default socket
 * @param reservedMemoryMib memory kept back from tasks ({@code ECS_RESERVED_MEMORY})
 * @param reservedPorts TCP ports tasks may not take ({@code ECS_RESERVED_PORTS})
 * @param reservedUdpPorts UDP ports tasks may not take ({@code ECS_RESERVED_PORTS_UDP})
 * @param instanceAttributes custom attributes, sent on first registration ({@code ECS_INSTANCE_ATTRIBUTES})
 * @param instanceTags tags of the container instance ({@code ECS_CONTAINER_INSTANCE_TAGS})
 * @param loggingDrivers the log drivers advertised as capabilities ({@code ECS_AVAILABLE_LOGGING_DRIVERS})
 * @param imagePullBehavior {@code ECS_IMAGE_PULL_BEHAVIOR}
 * @param taskCleanupWait how long stopped tasks stay ({@code ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION})
 * @param metadataAddress where the task metadata endpoint listens (127.0.0.1:51679); null disables it
 * @param metadataBaseUri the URI containers reach it under (usually {@code http://169.254.170.2}); with that
 *        address the agent routes it to {@code metadataAddress} (see {@code CredentialsRoute})
 * @param registryAuth private registry credentials ({@code ECS_ENGINE_AUTH_TYPE=docker}, {@code ECS_ENGINE_AUTH_DATA})
 * @param serverTrust the CAs the endpoint's certificate is checked against; null for the JVM's trust store
 */
public record AgentConfig(
        String cluster,
        String region,
        URI endpoint,
        AwsCredentialsProvider credentials,
        Path dataDirectory,
        String dockerHost,
        int reservedMemoryMib,
        List<Integer> reservedPorts,
        List<Integer> reservedUdpPorts,
        Map<String, String> instanceAttributes,
        Map<String, String> instanceTags,
        List<String> loggingDrivers,
        ImagePullBehavior imagePullBehavior,
        Duration taskCleanupWait,
        InetSocketAddress metadataAddress,
        String metadataBaseUri,
        RegistryAuth registryAuth,
        ServerTrust serverTrust) {

    public static final List<Integer> DEFAULT_RESERVED_PORTS = List.of(22, 2375, 2376, 51678, 51679);
    /** Where task containers reach the metadata and credentials endpoint, as the AWS SDKs expect it. */
    public static final String ECS_METADATA_URI = "http://169.254.170.2";
    /** Where the official agent serves that endpoint on the host. */
    public static final InetSocketAddress ECS_METADATA_ADDRESS = new InetSocketAddress("127.0.0.1", 51679);

    public AgentConfig {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("The agent needs a region");
        }
        if (credentials == null) {
            throw new IllegalArgumentException("The agent needs credentials");
        }
        reservedPorts = List.copyOf(reservedPorts == null ? DEFAULT_RESERVED_PORTS : reservedPorts);
        reservedUdpPorts = List.copyOf(reservedUdpPorts == null ? List.of() : reservedUdpPorts);
        instanceAttributes = Map.copyOf(instanceAttributes == null ? Map.of() : instanceAttributes);
        instanceTags = Map.copyOf(instanceTags == null ? Map.of() : instanceTags);
        loggingDrivers = List.copyOf(loggingDrivers == null ? List.of("json-file") : loggingDrivers);
        imagePullBehavior = imagePullBehavior == null ? ImagePullBehavior.DEFAULT : imagePullBehavior;
        taskCleanupWait = taskCleanupWait == null ? Duration.ofHours(3) : taskCleanupWait;
        registryAuth = registryAuth == null ? RegistryAuth.NONE : registryAuth;
        serverTrust = serverTrust == null ? ServerTrust.jvmDefault() : serverTrust;
    }

    /** A configuration trusting the endpoint through the JVM's trust store. */
    public AgentConfig(String cluster, String region, URI endpoint, AwsCredentialsProvider credentials,
            Path dataDirectory, String dockerHost, int reservedMemoryMib, List<Integer> reservedPorts,
            List<Integer> reservedUdpPorts, Map<String, String> instanceAttributes, Map<String, String> instanceTags,
            List<String> loggingDrivers, ImagePullBehavior imagePullBehavior, Duration taskCleanupWait,
            InetSocketAddress metadataAddress, String metadataBaseUri, RegistryAuth registryAuth) {
        this(cluster, region, endpoint, credentials, dataDirectory, dockerHost, reservedMemoryMib, reservedPorts,
                reservedUdpPorts, instanceAttributes, instanceTags, loggingDrivers, imagePullBehavior, taskCleanupWait,
                metadataAddress, metadataBaseUri, registryAuth, null);
    }

    /** A configuration with the official agent's defaults and no task metadata endpoint. */
    public static AgentConfig of(String cluster, String region, URI endpoint, AwsCredentialsProvider credentials,
            Path dataDirectory) {
        return new AgentConfig(cluster, region, endpoint, credentials, dataDirectory, null, 0, null, null, null, null,
                null, null, null, null, null, null, null);
    }

    public AgentConfig withInstanceAttributes(Map<String, String> attributes) {
        return new AgentConfig(cluster, region, endpoint, credentials, dataDirectory, dockerHost, reservedMemoryMib,
                reservedPorts, reservedUdpPorts, attributes, instanceTags, loggingDrivers, imagePullBehavior,
                taskCleanupWait, metadataAddress, metadataBaseUri, registryAuth, serverTrust);
    }

    public AgentConfig withInstanceTags(Map<String, String> tags) {
        return new AgentConfig(cluster, region, endpoint, credentials, dataDirectory, dockerHost, reservedMemoryMib,
                reservedPorts, reservedUdpPorts, instanceAttributes, tags, loggingDrivers, imagePullBehavior,
                taskCleanupWait, metadataAddress, metadataBaseUri, registryAuth, serverTrust);
    }

    public AgentConfig withImagePullBehavior(ImagePullBehavior behavior) {
        return new AgentConfig(cluster, region, endpoint, credentials, dataDirectory, dockerHost, reservedMemoryMib,
                reservedPorts, reservedUdpPorts, instanceAttributes, instanceTags, loggingDrivers, behavior,
                taskCleanupWait, metadataAddress, metadataBaseUri, registryAuth, serverTrust);
    }

    public AgentConfig withReservedMemoryMib(int mib) {
        return new AgentConfig(cluster, region, endpoint, credentials, dataDirectory, dockerHost, mib, reservedPorts,
                reservedUdpPorts, instanceAttributes, instanceTags, loggingDrivers, imagePullBehavior,
                taskCleanupWait, metadataAddress, metadataBaseUri, registryAuth, serverTrust);
    }

    public AgentConfig withMetadataEndpoint(InetSocketAddress address, String baseUri) {
        return new AgentConfig(cluster, region, endpoint, credentials, dataDirectory, dockerHost, reservedMemoryMib,
                reservedPorts, reservedUdpPorts, instanceAttributes, instanceTags, loggingDrivers, imagePullBehavior,
                taskCleanupWait, address, baseUri, registryAuth, serverTrust);
    }

    /**
     * Serves the task metadata and credentials endpoint on 127.0.0.1:51679 and makes it reachable from task containers
     * at 169.254.170.2:80 (which needs root and iptables), as ecs-init and the official agent do.
     */
    public AgentConfig withTaskCredentialsEndpoint() {
        return withMetadataEndpoint(ECS_METADATA_ADDRESS, ECS_METADATA_URI);
    }

    public AgentConfig withDockerHost(String host) {
        return new AgentConfig(cluster, region, endpoint, credentials, dataDirectory, host, reservedMemoryMib,
                reservedPorts, reservedUdpPorts, instanceAttributes, instanceTags, loggingDrivers, imagePullBehavior,
                taskCleanupWait, metadataAddress, metadataBaseUri, registryAuth, serverTrust);
    }

    public AgentConfig withTaskCleanupWait(Duration wait) {
        return new AgentConfig(cluster, region, endpoint, credentials, dataDirectory, dockerHost, reservedMemoryMib,
                reservedPorts, reservedUdpPorts, instanceAttributes, instanceTags, loggingDrivers, imagePullBehavior,
                wait, metadataAddress, metadataBaseUri, registryAuth, serverTrust);
    }

    public AgentConfig withRegistryAuth(RegistryAuth auth) {
        return new AgentConfig(cluster, region, endpoint, credentials, dataDirectory, dockerHost, reservedMemoryMib,
                reservedPorts, reservedUdpPorts, instanceAttributes, instanceTags, loggingDrivers, imagePullBehavior,
                taskCleanupWait, metadataAddress, metadataBaseUri, auth, serverTrust);
    }

    /** Trusts the endpoint through the JVM's trust store and these CAs, such as a Berth server's ca.pem. */
    public AgentConfig withServerTrust(ServerTrust trust) {
        return new AgentConfig(cluster, region, endpoint, credentials, dataDirectory, dockerHost, reservedMemoryMib,
                reservedPorts, reservedUdpPorts, instanceAttributes, instanceTags, loggingDrivers, imagePullBehavior,
                taskCleanupWait, metadataAddress, metadataBaseUri, registryAuth, trust);
    }

    public AgentConfig withReservedPorts(List<Integer> ports) {
        return new AgentConfig(cluster, region, endpoint, credentials, dataDirectory, dockerHost, reservedMemoryMib,
                ports, reservedUdpPorts, instanceAttributes, instanceTags, loggingDrivers, imagePullBehavior,
                taskCleanupWait, metadataAddress, metadataBaseUri, registryAuth, serverTrust);
    }

    /** The cluster string sent to the control plane. */
    public String clusterName() {
        return cluster == null ? "default" : cluster;
    }
}
