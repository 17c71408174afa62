package io.berth.e2e;

import static io.berth.e2e.DockerHost.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.berth.agent.TestImages;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * An image only a private registry with basic auth has (Debian's {@code docker-registry}, on a loopback port) runs
 * as a task: {@code berth all-in-one --engine-auth-data} gives the agent the registry's credentials, as
 * {@code ECS_ENGINE_AUTH_DATA} does for the official agent.
 */
class PrivateRegistryTest {

    private static final Path REGISTRY_BINARY = Path.of("/usr/bin/docker-registry");
    private static final String USER = "builder";
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String ACCOUNT = DockerHost.freshAccountId();

    @TempDir
    static Path dir;
    static Process registry;
    static String image;
    static BerthProcess berth;
    static EcsClient ecs;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(REGISTRY_BINARY)) {
            System.out.println("Skipping the private registry test: " + REGISTRY_BINARY + " is not installed.");
        }
        Assumptions.assumeTrue(Files.isExecutable(REGISTRY_BINARY), REGISTRY_BINARY + " is not installed");
        DockerHost.requireDocker();

        int port = DockerHost.freePort();
        startRegistry(port);
        image = "127.0.0.1:" + port + "/berth-test/busybox:latest";
        pushTestImage(port);

        Path authData = dir.resolve("engine-auth.json");
        Files.writeString(authData, """
                {"127.0.0.1:%d": {"username": "%s", "password": "%s", "email": ""}}
                """.formatted(port, USER, PASSWORD));
        berth = BerthProcess.allInOne(dir.resolve("data"), "--account-id", ACCOUNT,
                "--engine-auth-data", authData.toString());
        ecs = BerthProcess.client(dir.resolve("data"), berth.port());
    }

    /** docker-registry with an htpasswd file holding one bcrypt entry, storing under the test's directory. */
    private static void startRegistry(int port) throws IOException {
        Path htpasswd = dir.resolve("htpasswd");
        String hash = BCrypt.withDefaults().hashToString(6, PASSWORD.toCharArray());
        Files.writeString(htpasswd, USER + ":" + hash + "\n");
        Path config = dir.resolve("registry.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                auth:
                  htpasswd:
                    realm: berth-test
                    path: %s
                """.formatted(dir.resolve("storage"), port, htpasswd));
        registry = new ProcessBuilder(REGISTRY_BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!registry.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("docker-registry did not start:\n"
                            + Files.readString(dir.resolve("registry.log")));
                }
                sleep(Duration.ofMillis(100));
            }
        }
    }

    /** Pushes the test image with a login kept in a Docker client config of this test only, then drops the tag. */
    private static void pushTestImage(int port) throws IOException {
        Path clientConfig = Files.createDirectories(dir.resolve("docker-client"));
        Path passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, PASSWORD);
        ProcessBuilder login = new ProcessBuilder("docker", "--config", clientConfig.toString(), "login",
                "127.0.0.1:" + port, "--username", USER, "--password-stdin")
                .redirectInput(passwordFile.toFile()).redirectErrorStream(true);
        Process process = login.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertThat(process.waitFor()).as(output).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        docker("tag", TestImages.BUSYBOX, image);
        docker("--config", clientConfig.toString(), "push", image);
        docker("rmi", image);
    }

    @AfterAll
    static void stop() {
        if (ecs != null) {
            ecs.close();
        }
        if (berth != null) {
            berth.kill();
            DockerHost.removeContainersOfAccount(ACCOUNT);
        }
        if (image != null) {
            try {
                docker("rmi", image);
            } catch (IllegalStateException alreadyGone) {
                // the task never pulled it
            }
        }
        if (registry != null) {
            registry.destroyForcibly();
        }
    }

    @Test
    void theRegistryRefusesPullsWithoutCredentials() throws IOException {
        Path anonymous = Files.createDirectories(dir.resolve("anonymous-client"));
        assertThatThrownBy(() -> docker("--config", anonymous.toString(), "pull", image))
                .hasMessageContaining("no basic auth credentials");
    }

    @Test
    void aTaskOfAnImageInThePrivateRegistryIsPulledWithTheEngineAuthDataAndRuns() {
        assertThat(docker("images", "-q", image)).as("no local copy before the task").isEmpty();
        ecs.registerTaskDefinition(r -> r.family("private-image").containerDefinitions(c -> c.name("app")
                .image(image).memory(32).essential(true).stopTimeout(2)
                .entryPoint("/bin/busybox", "sh", "-c")
                .command("trap 'exit 0' TERM; while true; do busybox sleep 1 & wait $!; done")));

        String taskArn = ecs.runTask(r -> r.cluster("default").taskDefinition("private-image")).tasks().get(0).taskArn();

        Task running = TaskWaits.awaitStatus(ecs, "default", taskArn, "RUNNING", Duration.ofSeconds(60));
        assertThat(running.pullStartedAt()).isNotNull();
        assertThat(running.pullStoppedAt()).isNotNull();
        assertThat(DockerHost.runningContainersOf(taskArn)).hasSize(1);
        assertThat(docker("images", "-q", image)).as("the agent pulled the image").isNotEmpty();

        ecs.stopTask(r -> r.cluster("default").task(taskArn));
        Task stopped = TaskWaits.awaitStatus(ecs, "default", taskArn, "STOPPED", Duration.ofSeconds(60));
        assertThat(stopped.containers().get(0).exitCode()).isZero();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
