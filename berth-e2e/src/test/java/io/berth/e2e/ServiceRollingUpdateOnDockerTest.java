package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rolling update of {@code src/test/scripts/service-rolling-update.sh}, driven by the real
 * {@code aws} CLI against {@code berth all-in-one}, whose agent runs the tasks on this host's Docker
 * Engine. Skipped without the CLI, a Docker Engine, or the test image {@code berth-test/busybox}
 * (which the agent's tests import).
 */
class ServiceRollingUpdateOnDockerTest {

    private static final Path SCRIPT = Path.of("src/test/scripts/service-rolling-update.sh");
    private static final String IMAGE = "berth-test/busybox";
    private static final String SERVICE = "rolling-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    static Path dataDir;
    static BerthProcess berth;

    @BeforeAll
    static void start() throws Exception {
        Commands.assumeAwsCli("the rolling update on Docker");
        Assumptions.assumeTrue(Commands.dockerHasImage(IMAGE), "no Docker Engine with the image " + IMAGE);
        berth = BerthProcess.allInOne(dataDir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (berth != null) {
            berth.close();
            // The agent keeps stopped containers for a while, as the ECS agent does; this test's go now.
            Commands.run(Map.of(), Duration.ofMinutes(1), "bash", "-c",
                    "docker ps -aq --filter name=ecs-" + SERVICE + "- | xargs -r docker rm -f");
        }
    }

    @Test
    void aRollingUpdateOnDockerKeepsTheMinimumHealthyAndCompletes() throws Exception {
        Commands.Result result = Commands.run(Map.of(
                "ENDPOINT", "http://127.0.0.1:" + berth.port(),
                "CREDENTIALS", dataDir.resolve("credentials").toString(),
                "REGION", RunningBerth.REGION,
                "SERVICE", SERVICE,
                "IMAGE", IMAGE), Duration.ofMinutes(8), "bash", SCRIPT.toString());

        System.out.println(result.output());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("deployment completed.").endsWith("OK\n");
    }
}
