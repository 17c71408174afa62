package io.berth.agent.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Docker Engine, through docker-java on the daemon socket ({@code DOCKER_HOST} when set, else
 * {@code unix:///var/run/docker.sock}). Containers are created with the raw Engine API body so that settings
 * passed through as Docker JSON reach the daemon unchanged.
 */
public final class DockerRuntime implements ContainerRuntime, AutoCloseable {

    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(15);

    private final DockerHttpClient http;
    private final DockerClient client;
    private final ObjectMapper json = new ObjectMapper();
    private final RegistryAuth registryAuth;
    private final BridgeNetworks networks;

    private DockerRuntime(DockerClientConfig config, RegistryAuth registryAuth) {
        this.registryAuth = registryAuth;
        this.http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(30))
                // long enough for a stop that waits out a container's stop timeout
                .responseTimeout(Duration.ofMinutes(10))
                .build();
        this.client = DockerClientImpl.getInstance(config, http);
        this.networks = new DockerBridgeNetworks(client);
    }

    /** Connects to the daemon named by {@code DOCKER_HOST}, or the default socket. */
    public static DockerRuntime connect() {
        return new DockerRuntime(DefaultDockerClientConfig.createDefaultConfigBuilder().build(), RegistryAuth.NONE);
    }

    /** Connects to the given daemon, e.g. {@code unix:///var/run/docker.sock}. */
    public static DockerRuntime connect(String dockerHost) {
        return connect(dockerHost, RegistryAuth.NONE);
    }

    /**
     * Connects to the given daemon ({@code DOCKER_HOST} or the default socket when null), pulling with the
     * registry credentials given.
     */
    public static DockerRuntime connect(String dockerHost, RegistryAuth registryAuth) {
        DefaultDockerClientConfig.Builder config = DefaultDockerClientConfig.createDefaultConfigBuilder();
        if (dockerHost != null) {
            config.withDockerHost(dockerHost);
        }
        return new DockerRuntime(config.build(), registryAuth);
    }

    /** Answers when the daemon responds to a ping. */
    public boolean reachable() {
        try {
            client.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String serverVersion() {
        return call("version", () -> client.versionCmd().exec().getVersion());
    }

    @Override
    public List<String> apiVersionRange() {
        Version version = call("version", () -> client.versionCmd().exec());
        String minimum = version.getMinAPIVersion() == null ? version.getApiVersion() : version.getMinAPIVersion();
        return List.of(minimum, version.getApiVersion());
    }

    @Override
    public DaemonCgroups cgroups() {
        Info info = call("info", () -> client.infoCmd().exec());
        String version = info.getCGroupVersion();
        return new DaemonCgroups(info.getCGroupDriver() == null ? "cgroupfs" : info.getCGroupDriver(),
                "2".equals(version) ? 2 : 1);
    }

    @Override
    public boolean imageExists(String image) {
        try {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (DockerException e) {
            throw failure("inspect image " + image, e);
        }
    }

    /** Pulls with the agent's login for the image's registry, if any. */
    public void pull(String image) {
        pull(image, RegistryAuth.NONE);
    }

    /** Pulls with the task's own login for the image's registry when it has one, else with the agent's. */
    @Override
    public void pull(String image, RegistryAuth taskAuth) {
        String[] reference = repositoryAndTag(image);
        call("pull " + image, () -> {
            PullImageCmd pull = client.pullImageCmd(reference[0]).withTag(reference[1]);
            Optional<RegistryAuth.Login> taskLogin = taskAuth.forImage(image);
            taskLogin.or(() -> registryAuth.forImage(image)).ifPresent(login -> pull.withAuthConfig(new AuthConfig()
                    .withRegistryAddress(login.registry())
                    .withUsername(login.username())
                    .withPassword(login.password())
                    .withEmail(login.email())));
            boolean done = pull.exec(new PullImageResultCallback())
                    .awaitCompletion(PULL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!done) {
                throw new RuntimeFailure("Pulling " + image + " took longer than " + PULL_TIMEOUT);
            }
            return null;
        });
    }

    /** Creates image {@code repository:tag} from a root file system tarball, as {@code docker import} does. */
    public void importImage(String repository, String tag, InputStream rootFileSystemTar) {
        String what = "import image " + repository + ":" + tag;
        try {
            // A sized body: the Engine cut streamed imports short ("unexpected EOF") through docker-java's command.
            Answer answer = post("/images/create?fromSrc=-&repo=" + URLEncoder.encode(repository, StandardCharsets.UTF_8)
                    + "&tag=" + URLEncoder.encode(tag, StandardCharsets.UTF_8), "application/x-tar",
                    rootFileSystemTar.readAllBytes());
            String text = new String(answer.body(), StandardCharsets.UTF_8);
            if (answer.status() != 200 || text.contains("\"error\"")) {
                throw new RuntimeFailure("Cannot " + what + " (" + answer.status() + "): " + text.strip());
            }
        } catch (IOException e) {
            throw new RuntimeFailure("Cannot " + what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void loadImage(byte[] imageArchive) {
        try {
            Answer answer = post("/images/load?quiet=1", "application/x-tar", imageArchive);
            String text = new String(answer.body(), StandardCharsets.UTF_8);
            if (answer.status() != 200 || text.contains("\"error\"")) {
                throw new RuntimeFailure("Cannot load image (" + answer.status() + "): " + text.strip());
            }
        } catch (IOException e) {
            throw new RuntimeFailure("Cannot load image: " + e.getMessage(), e);
        }
    }

    @Override
    public BridgeNetworks networks() {
        return networks;
    }

    /** An Engine API answer: its status and its body. */
    private record Answer(int status, byte[] body) {
    }

    /** A POST to the Engine API with a body of known size, straight through the HTTP transport. */
    private Answer post(String path, String contentType, byte[] body) throws IOException {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path(path)
                .putHeader("Content-Type", contentType)
                .bodyBytes(body)
                .build();
        try (DockerHttpClient.Response response = http.execute(request); InputStream answer = response.getBody()) {
            return new Answer(response.getStatusCode(), answer.readAllBytes());
        }
    }

    /**
     * Splits {@code registry:5000/name:tag} or {@code name@sha256:...} into repository and tag (or digest); a
     * reference without either means {@code latest}, since an empty tag would make Docker pull every tag.
     */
    static String[] repositoryAndTag(String image) {
        int at = image.indexOf('@');
        if (at >= 0) {
            return new String[] {image.substring(0, at), image.substring(at + 1)};
        }
        int colon = image.lastIndexOf(':');
        if (colon > image.lastIndexOf('/')) {
            return new String[] {image.substring(0, colon), image.substring(colon + 1)};
        }
        return new String[] {image, "latest"};
    }

    @Override
    public String create(String name, ObjectNode createBody) {
        try {
            Answer answer = post("/containers/create?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8),
                    "application/json", json.writeValueAsBytes(createBody));
            JsonNode parsed = json.readTree(answer.body());
            if (answer.status() != 201) {
                String message = parsed == null ? "" : parsed.path("message").asText();
                throw new RuntimeFailure("Docker refused to create container " + name + " (" + answer.status() + "): "
                        + message);
            }
            return parsed.get("Id").asText();
        } catch (IOException e) {
            throw new RuntimeFailure("Cannot create container " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void start(String id) {
        try {
            client.startContainerCmd(id).exec();
        } catch (NotModifiedException e) {
            // already running
        } catch (DockerException e) {
            throw failure("start container " + id, e);
        }
    }

    @Override
    public void stop(String id, Duration timeout) {
        try {
            client.stopContainerCmd(id).withTimeout((int) Math.max(0, timeout.toSeconds())).exec();
        } catch (NotModifiedException | NotFoundException e) {
            // already stopped, or gone
        } catch (DockerException e) {
            throw failure("stop container " + id, e);
        }
    }

    @Override
    public Optional<ContainerState> inspect(String id) {
        InspectContainerResponse inspected;
        try {
            inspected = client.inspectContainerCmd(id).exec();
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (DockerException e) {
            throw failure("inspect container " + id, e);
        }
        InspectContainerResponse.ContainerState state = inspected.getState();
        boolean running = Boolean.TRUE.equals(state.getRunning());
        String status = state.getStatus();
        Integer exitCode = "exited".equals(status) || "dead".equals(status) ? state.getExitCode() : null;
        String health = state.getHealth() == null ? null : state.getHealth().getStatus();
        String name = inspected.getName() != null && inspected.getName().startsWith("/")
                ? inspected.getName().substring(1) : inspected.getName();
        return Optional.of(new ContainerState(inspected.getId(), name, status, running, exitCode, health,
                dockerTime(state.getStartedAt()), dockerTime(state.getFinishedAt()), emptyToNull(state.getError()),
                portsOf(inspected)));
    }

    private static List<PortBinding> portsOf(InspectContainerResponse inspected) {
        if (inspected.getNetworkSettings() == null || inspected.getNetworkSettings().getPorts() == null) {
            return List.of();
        }
        List<PortBinding> bindings = new ArrayList<>();
        for (Map.Entry<ExposedPort, Ports.Binding[]> entry
                : inspected.getNetworkSettings().getPorts().getBindings().entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            for (Ports.Binding binding : entry.getValue()) {
                String hostPort = binding.getHostPortSpec();
                if (hostPort == null || hostPort.isEmpty()) {
                    continue;
                }
                bindings.add(new PortBinding(entry.getKey().getPort(), entry.getKey().getProtocol().toString(),
                        binding.getHostIp(), Integer.parseInt(hostPort)));
            }
        }
        return bindings;
    }

    @Override
    public void remove(String id) {
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (DockerException e) {
            if (e.getHttpStatus() == 409 && String.valueOf(e.getMessage()).contains("already in progress")) {
                return;
            }
            throw failure("remove container " + id, e);
        }
    }

    @Override
    public List<ContainerListing> listByLabel(String key, String value) {
        return call("list containers", () -> client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(key, value)).exec().stream()
                .map(c -> new ContainerListing(c.getId(), firstName(c.getNames()), c.getState(),
                        c.getLabels() == null ? Map.of() : c.getLabels()))
                .toList());
    }

    private static String firstName(String[] names) {
        if (names == null || names.length == 0) {
            return "";
        }
        return Arrays.stream(names).map(n -> n.startsWith("/") ? n.substring(1) : n).findFirst().orElse("");
    }

    @Override
    public boolean volumeExists(String name) {
        try {
            client.inspectVolumeCmd(name).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (DockerException e) {
            throw failure("inspect volume " + name, e);
        }
    }

    @Override
    public void createVolume(String name, String driver, Map<String, String> driverOptions, Map<String, String> labels) {
        call("create volume " + name, () -> client.createVolumeCmd().withName(name)
                .withDriver(driver == null ? "local" : driver)
                .withDriverOpts(driverOptions == null ? Map.of() : driverOptions)
                .withLabels(labels == null ? Map.of() : labels)
                .exec());
    }

    @Override
    public void removeVolume(String name) {
        try {
            client.removeVolumeCmd(name).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (DockerException e) {
            throw failure("remove volume " + name, e);
        }
    }

    @Override
    public List<String> volumesByLabel(String key, String value) {
        return call("list volumes", () -> {
            var volumes = client.listVolumesCmd().withFilter("label", List.of(key + "=" + value)).exec().getVolumes();
            return volumes == null ? List.<String>of() : volumes.stream().map(v -> v.getName()).toList();
        });
    }

    /**
     * Follows a container's stdout and stderr, each message prefixed with Docker's RFC 3339 timestamp, from epoch
     * second {@code since} (0: the beginning) until the container stops or the returned handle is closed.
     */
    public Closeable followLogs(String id, long since, LogFrames frames) {
        return call("follow the log of container " + id, () -> ContainerLogStream.follow(http, id, since, frames));
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface DockerCall<T> {
        T run() throws Exception;
    }

    private static <T> T call(String what, DockerCall<T> call) {
        try {
            return call.run();
        } catch (RuntimeFailure e) {
            throw e;
        } catch (DockerException e) {
            throw failure(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("Interrupted during " + what, e);
        } catch (Exception e) {
            throw new RuntimeFailure("Cannot " + what + ": " + e.getMessage(), e);
        }
    }

    static RuntimeFailure failure(String what, DockerException e) {
        return new RuntimeFailure("Cannot " + what + ": " + dockerMessage(e), e);
    }

    /** The daemon's message without docker-java's "Status 404: " prefix and JSON wrapper. */
    private static String dockerMessage(DockerException e) {
        String message = String.valueOf(e.getMessage());
        int brace = message.indexOf("{\"message\":\"");
        if (brace >= 0) {
            String inner = message.substring(brace + 12);
            int end = inner.lastIndexOf("\"}");
            return end >= 0 ? inner.substring(0, end) : inner;
        }
        return message;
    }

    private static Instant dockerTime(String value) {
        if (value == null || value.isEmpty() || value.startsWith("0001-")) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
