package io.berth.agent.awsvpc;

import static io.berth.agent.AcsFixtures.awsvpc;
import static io.berth.agent.AcsFixtures.container;
import static io.berth.agent.AcsFixtures.eni;
import static io.berth.agent.AcsFixtures.task;
import static io.berth.agent.AcsFixtures.taskArn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import com.sun.net.httpserver.HttpServer;
import io.berth.agent.RecordingReporter;
import io.berth.agent.TestDocker;
import io.berth.agent.acs.TaskCredentials;
import io.berth.agent.docker.ContainerListing;
import io.berth.agent.engine.Checkpoint;
import io.berth.agent.engine.EcsLabels;
import io.berth.agent.engine.InvalidTaskException;
import io.berth.agent.engine.TaskEngine;
import io.berth.agent.engine.TaskHooks;
import io.berth.agent.metadata.CredentialsRoute;
import io.berth.agent.metadata.MetadataServer;
import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.ElasticNetworkInterface;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;

/** awsvpc tasks on the Docker Engine running here, each in a namespace of its own on a subnet network of this class. */
class AwsvpcTasksTest {

    @RegisterExtension
    static final TestDocker DOCKER = TestDocker.forCluster("berth-awsvpc");
    private static final String CLUSTER = DOCKER.cluster();
    /** A /24 of its own for this run, out of the way of Docker's default pools. */
    private static final String SUBNET = "10.213." + ThreadLocalRandom.current().nextInt(256) + ".";
    private static final String NETWORK = "berth-awsvpc-" + SUBNET.replace('.', '-') + "0-24";
    private static final AtomicInteger NEXT_HOST = new AtomicInteger(10);
    private static final String WEB = "mkdir -p /www && echo pong > /www/hello && httpd -f -p %d -h /www";

    private final RecordingReporter reporter = new RecordingReporter();
    private final List<TaskEngine> engines = new ArrayList<>();

    private TaskEngine engine(Checkpoint checkpoint) {
        return engine(checkpoint, TaskHooks.NONE);
    }

    private TaskEngine engine(Checkpoint checkpoint, TaskHooks hooks) {
        return engine(checkpoint, hooks, BridgeSetup.NONE);
    }

    private TaskEngine engine(Checkpoint checkpoint, TaskHooks hooks, BridgeSetup bridges) {
        TaskEngine engine = new TaskEngine(DOCKER.runtime(), reporter, checkpoint, DOCKER.engineSettings(), hooks,
                bridges);
        engine.start();
        engines.add(engine);
        return engine;
    }

    @AfterEach
    void closeEngines() {
        engines.forEach(TaskEngine::close);
    }

    @AfterAll
    static void removeWhatIsLeft() {
        DOCKER.runtime().listByLabel(EcsLabels.CLUSTER, CLUSTER).forEach(c -> DOCKER.runtime().remove(c.id()));
        DOCKER.runtime().networks().remove(NETWORK);
    }

    private static String nextAddress() {
        return SUBNET + NEXT_HOST.getAndIncrement();
    }

    private static List<ContainerListing> pauseContainersOf(String arn) {
        return DOCKER.runtime().listByLabel(TaskNetworks.TASK_LABEL, arn);
    }

    private static boolean networkExists() {
        return DOCKER.runtime().networks().inspect(NETWORK).isPresent();
    }

    private static void apply(TaskEngine engine, AcsTask task) {
        try {
            engine.apply(task);
        } catch (InvalidTaskException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theContainersOfATaskShareLocalhostAndTheHostReachesTheTaskAddress() throws Exception {
        TaskEngine engine = engine(Checkpoint.inMemory());
        String arn = taskArn(CLUSTER);
        String address = nextAddress();
        AcsTask task = awsvpc(task(arn,
                container("web", WEB.formatted(8080)).awsvpcPort(8080),
                container("client", "for i in $(seq 50); do wget -q -O - http://localhost:8080/hello && break;"
                        + " sleep 0.2; done && test \"$(cat /sys/class/net/eth0/address)\" = " + eni(address, false)
                        .macAddress() + " && test \"$(hostname)\" = ip-" + address.replace('.', '-') + ".ec2.internal")
                        .notEssential()),
                eni(address, false));

        apply(engine, task);

        SubmitTaskStateChangeRequest running = reporter.await(arn, "RUNNING");
        assertThat(running.containers()).allSatisfy(c -> assertThat(c.networkBindings()).isEmpty());
        assertThat(reporter.attachmentsOf(arn))
                .containsExactly(task.elasticNetworkInterfaces().getFirst().attachmentArn() + "=ATTACHED");
        assertThat(reporter.of(arn).getFirst().status()).as("the attachment is confirmed before RUNNING").isNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.task(arn).orElseThrow().container("client")
                .exitCode() != null);
        assertThat(engine.task(arn).orElseThrow().container("client").exitCode()).isZero();
        assertThat(get("http://" + address + ":8080/hello")).isEqualTo("pong\n");
        assertThat(pauseContainersOf(arn)).singleElement().satisfies(pause -> {
            assertThat(pause.labels()).containsEntry(TaskNetworks.PAUSE_LABEL, "true")
                    .containsEntry(EcsLabels.CONTAINER_NAME, "~internal~ecs~pause");
            assertThat(pause.state()).isEqualTo("running");
        });
        assertThat(DOCKER.runtime().networks().inspect(NETWORK).orElseThrow().labels())
                .containsEntry(TaskNetworks.NETWORK_LABEL, "true");

        engine.stopTask(arn);
        reporter.await(arn, "STOPPED");
        awaitGone(arn);
    }

    @Test
    void aTaskPidModeLetsTheContainersOfTheTaskSeeEachOthersProcesses() {
        TaskEngine engine = engine(Checkpoint.inMemory());
        String arn = taskArn(CLUSTER);
        AcsTask task = awsvpc(task(arn, container("worker", "sleep 301"),
                container("watcher", "for i in $(seq 50); do ps | grep -q '[s]leep 301' && exit 0; sleep 0.2; done;"
                        + " exit 1").notEssential()), eni(nextAddress(), false));
        apply(engine, new AcsTask(task.arn(), null, task.containers(), "RUNNING", task.family(), null, task.version(),
                null, null, null, null, null, null, null, "task", "task", null, null, "awsvpc", null, null, null,
                task.elasticNetworkInterfaces()));

        reporter.await(arn, "RUNNING");

        await().atMost(Duration.ofSeconds(30)).until(() -> engine.task(arn).orElseThrow().container("watcher")
                .exitCode() != null);
        assertThat(engine.task(arn).orElseThrow().container("watcher").exitCode()).isZero();
        engine.stopTask(arn);
        reporter.await(arn, "STOPPED");
        awaitGone(arn);
    }

    @Test
    void aPublicIpPublishesEveryContainerPortOnTheHostUnderItsOwnNumber() throws Exception {
        TaskEngine engine = engine(Checkpoint.inMemory());
        String arn = taskArn(CLUSTER);
        int port = freePort();
        apply(engine, awsvpc(task(arn, container("web", WEB.formatted(port)).awsvpcPort(port)),
                eni(nextAddress(), true)));

        reporter.await(arn, "RUNNING");

        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> assertThat(get("http://127.0.0.1:" + port + "/hello")).isEqualTo("pong\n"));
        engine.stopTask(arn);
        reporter.await(arn, "STOPPED");
        awaitGone(arn);
    }

    @Test
    void aStoppedTaskLeavesNoPauseContainerAndTheLastTaskOfASubnetNoNetwork() {
        TaskEngine engine = engine(Checkpoint.inMemory());
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            arns.add(taskArn(CLUSTER));
        }
        // applied together: the three make the subnet's network at once
        arns.parallelStream().forEach(arn -> apply(engine, awsvpc(task(arn, container("app", "sleep 300")),
                eni(nextAddress(), false))));
        arns.forEach(arn -> reporter.await(arn, "RUNNING"));
        assertThat(DOCKER.runtime().networks().inspect(NETWORK).orElseThrow().containerIds()).hasSize(3);

        engine.stopTask(arns.get(0));
        reporter.await(arns.get(0), "STOPPED");

        await().atMost(Duration.ofSeconds(10)).until(() -> pauseContainersOf(arns.get(0)).isEmpty());
        assertThat(networkExists()).as("the other tasks still use it").isTrue();
        arns.subList(1, 3).forEach(engine::stopTask);
        arns.subList(1, 3).forEach(arn -> reporter.await(arn, "STOPPED"));
        arns.forEach(this::awaitGone);
    }

    @Test
    void aRestartedAgentKeepsTheTaskItsPauseContainerAndItsAddress(@TempDir Path data) throws Exception {
        Checkpoint checkpoint = Checkpoint.at(data.resolve("checkpoint.json"));
        TaskEngine first = engine(checkpoint);
        String arn = taskArn(CLUSTER);
        String address = nextAddress();
        apply(first, awsvpc(task(arn, container("web", WEB.formatted(8080)).awsvpcPort(8080)),
                eni(address, false)));
        reporter.await(arn, "RUNNING");
        String pause = pauseContainersOf(arn).getFirst().id();
        first.close();

        TaskEngine second = engine(Checkpoint.at(data.resolve("checkpoint.json")));

        await().atMost(Duration.ofSeconds(10)).until(() -> second.task(arn).isPresent());
        assertThat(pauseContainersOf(arn)).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(pause);
            assertThat(c.state()).isEqualTo("running");
        });
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> assertThat(get("http://" + address + ":8080/hello")).isEqualTo("pong\n"));
        assertThat(reporter.statusesOf(arn)).containsExactly("RUNNING");
        second.stopTask(arn);
        reporter.await(arn, "STOPPED");
        awaitGone(arn);
    }

    @Test
    void anAgentThatLostItsStateSweepsThePauseContainersAndNetworksLeftBehind() {
        TaskEngine first = engine(Checkpoint.inMemory());
        String arn = taskArn(CLUSTER);
        apply(first, awsvpc(task(arn, container("app", "sleep 300")), eni(nextAddress(), false)));
        reporter.await(arn, "RUNNING");
        first.close();
        DOCKER.runtime().listByLabel(EcsLabels.TASK_ARN, arn).stream()
                .filter(c -> !c.labels().containsKey(TaskNetworks.PAUSE_LABEL))
                .forEach(c -> DOCKER.runtime().remove(c.id()));

        engine(Checkpoint.inMemory());

        assertThat(pauseContainersOf(arn)).isEmpty();
        assertThat(networkExists()).isFalse();
    }

    @Test
    void containersThatVanishWithTheirPauseContainerAsInADockerRestartLeaveNothingBehind() {
        TaskEngine engine = engine(Checkpoint.inMemory());
        String arn = taskArn(CLUSTER);
        apply(engine, awsvpc(task(arn, container("app", "sleep 300")), eni(nextAddress(), false)));
        reporter.await(arn, "RUNNING");

        DOCKER.runtime().listByLabel(EcsLabels.TASK_ARN, arn).forEach(c -> DOCKER.runtime().remove(c.id()));

        // Which the agent sees first, the container or the namespace gone, is a race, as in a Docker restart.
        SubmitTaskStateChangeRequest stopped = reporter.await(arn, "STOPPED");
        assertThat(stopped.reason()).containsAnyOf("network namespace is gone", "Essential container in task exited");
        awaitGone(arn);
    }

    @Test
    void aKilledPauseContainerStopsItsTask() {
        TaskEngine engine = engine(Checkpoint.inMemory());
        String arn = taskArn(CLUSTER);
        apply(engine, awsvpc(task(arn, container("app", "sleep 300")), eni(nextAddress(), false)));
        reporter.await(arn, "RUNNING");

        DOCKER.runtime().stop(pauseContainersOf(arn).getFirst().id(), Duration.ZERO);

        SubmitTaskStateChangeRequest stopped = reporter.await(arn, "STOPPED");
        assertThat(stopped.reason()).startsWith("ResourceInitializationError").contains("pause container stopped");
        awaitGone(arn);
    }

    @Test
    void anImageThatCannotBePulledLeavesNothingBehind() {
        TaskEngine engine = engine(Checkpoint.inMemory());
        String arn = taskArn(CLUSTER);
        apply(engine, awsvpc(task(arn, container("app", "sleep 300").image("berth-test/no-such-image:none")),
                eni(nextAddress(), false)));

        SubmitTaskStateChangeRequest stopped = reporter.await(arn, "STOPPED");

        assertThat(stopped.containers().getFirst().reason()).startsWith("CannotPullContainerError");
        awaitGone(arn);
    }

    @Test
    void aContainerDockerRefusesLeavesNothingBehind() {
        TaskHooks refusing = new TaskHooks() {
            @Override
            public void createBody(AcsTask task, AcsContainer container, ObjectNode body) {
                if (container.name().equals("second")) {
                    throw new IllegalStateException("refused");
                }
            }
        };
        TaskEngine engine = engine(Checkpoint.inMemory(), refusing);
        String arn = taskArn(CLUSTER);
        apply(engine, awsvpc(task(arn, container("first", "sleep 300"), container("second", "sleep 300")),
                eni(nextAddress(), false)));

        SubmitTaskStateChangeRequest stopped = reporter.await(arn, "STOPPED");

        assertThat(stopped.reason()).startsWith("CannotCreateContainerError");
        awaitGone(arn);
    }

    @Test
    void theMetadataEndpointShowsTheTaskInterface() throws Exception {
        TaskEngine engine = engine(Checkpoint.inMemory());
        String arn = taskArn(CLUSTER);
        String address = nextAddress();
        ElasticNetworkInterface eni = eni(address, false);
        apply(engine, awsvpc(task(arn, container("app", "sleep 300").awsvpcPort(8080)), eni));
        reporter.await(arn, "RUNNING");

        try (MetadataServer metadata = MetadataServer.start(new InetSocketAddress("127.0.0.1", 0), engine,
                new TaskCredentials(), CLUSTER)) {
            String endpointId = engine.task(arn).orElseThrow().container("app").endpointId();
            JsonNode container = new ObjectMapper().readTree(get("http://127.0.0.1:" + metadata.address().getPort()
                    + "/v4/" + endpointId));
            JsonNode network = container.get("Networks").get(0);

            assertThat(network).isEqualTo(new ObjectMapper().readTree("""
                    {"NetworkMode":"awsvpc","IPv4Addresses":["%s"],"AttachmentIndex":0,"MACAddress":"%s",
                     "IPv4SubnetCIDRBlock":"%s0/24","PrivateDNSName":"%s","SubnetGatewayIpv4Address":"%s"}"""
                    .formatted(address, eni.macAddress(), SUBNET, eni.privateDnsName(),
                            eni.subnetGatewayIpv4Address())));
            assertThat(container.get("Ports")).isEqualTo(new ObjectMapper().readTree("""
                    [{"ContainerPort":8080,"Protocol":"tcp","HostPort":8080}]"""));
        }
        engine.stopTask(arn);
        reporter.await(arn, "STOPPED");
        awaitGone(arn);
    }

    @Test
    void theCredentialsEndpointAnswersTheContainersOfAnAwsvpcTask() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                && Files.isExecutable(Path.of("/usr/sbin/iptables")), "needs root and iptables");
        HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/", exchange -> {
            byte[] body = "credentials\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        endpoint.start();
        CredentialsRoute route = CredentialsRoute.install(endpoint.getAddress().getPort(), "docker0").orElse(null);
        Assumptions.assumeTrue(route != null, "the credentials route cannot be installed here");
        try (route) {
            TaskEngine engine = engine(Checkpoint.inMemory(), TaskHooks.NONE, route::allowFrom);
            String arn = taskArn(CLUSTER);
            apply(engine, awsvpc(task(arn, container("app", "for i in $(seq 50); do"
                    + " wget -q -O - http://169.254.170.2/v2/credentials/any && exit 0; sleep 0.2; done; exit 1")),
                    eni(nextAddress(), false)));

            reporter.await(arn, "STOPPED");

            assertThat(reporter.lastOf(arn, "app").exitCode()).isZero();
            awaitGone(arn);
        } finally {
            endpoint.stop(0);
        }
    }

    @Test
    void aPauseImageRemovedUnderTheAgentIsLoadedAgain() {
        TaskEngine engine = engine(Checkpoint.inMemory());
        removeImage(TaskNetworks.PAUSE_IMAGE);
        String arn = taskArn(CLUSTER);
        apply(engine, awsvpc(task(arn, container("app", "sleep 300")), eni(nextAddress(), false)));

        reporter.await(arn, "RUNNING");

        assertThat(DOCKER.runtime().imageExists(TaskNetworks.PAUSE_IMAGE)).isTrue();
        engine.stopTask(arn);
        reporter.await(arn, "STOPPED");
        awaitGone(arn);
    }

    @Test
    void anAwsvpcTaskWithoutAnInterfaceIsRefused() {
        TaskEngine engine = engine(Checkpoint.inMemory());
        AcsTask bridge = task(taskArn(CLUSTER), container("app", "true"));
        AcsTask noInterface = new AcsTask(bridge.arn(), null, bridge.containers(), "RUNNING", "test", null, "1", null,
                null, null, null, null, null, null, null, null, null, null, "awsvpc", null, null, null, null);

        assertThatThrownBy(() -> engine.apply(noInterface))
                .isInstanceOf(InvalidTaskException.class).hasMessageContaining("elasticNetworkInterfaces");
    }

    /** Waits until the task's pause container is gone and, with no task of this class left, its network too. */
    private void awaitGone(String arn) {
        await().atMost(Duration.ofSeconds(20)).until(() -> pauseContainersOf(arn).isEmpty());
        boolean othersRunning = engines.stream().flatMap(e -> e.tasks().stream())
                .anyMatch(t -> !t.arn().equals(arn) && !"STOPPED".equals(t.knownStatus().name()));
        if (!othersRunning) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !networkExists());
        }
    }

    private static void removeImage(String image) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        try (DockerClient client = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).build())) {
            client.removeImageCmd(image).exec();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String get(String url) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
