package io.berth.e2e;

import static io.berth.e2e.DockerHost.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
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

    private static final String ACCOUNT = DockerHost.freshAccountId();

    @TempDir
    static Path dir;
    static TestRegistry registry;
    static String image;
    static BerthProcess berth;
    static EcsClient ecs;

    @BeforeAll
    static void start() throws Exception {
        registry = TestRegistry.withTestImage(Files.createDirectories(dir.resolve("registry")));
        image = registry.image();

        Path authData = dir.resolve("engine-auth.json");
        Files.writeString(authData, """
                {"%s": {"username": "%s", "password": "%s", "email": ""}}
                """.formatted(registry.host(), registry.user(), registry.password()));
        berth = BerthProcess.allInOne(dir.resolve("data"), "--account-id", ACCOUNT,
                "--engine-auth-data", authData.toString());
        ecs = BerthProcess.client(dir.resolve("data"), berth.port());
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
        if (registry != null) {
            registry.close();
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
}
