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
 * A task definition as people write them for ECS (execution role, awslogs, secrets from SSM and
 * Secrets Manager, a health check, memory 256 with reservation 64 and no task size), driven by
 * {@code src/test/scripts/real-workload.sh} with the real {@code aws} CLI against
 * {@code berth all-in-one} on this host's Docker Engine; then a service whose health check fails.
 * Skipped without the CLI, a Docker Engine, or the test image {@code berth-test/busybox} (which the
 * agent's tests import).
 */
class RealWorkloadOnDockerTest {

    private static final Path SCRIPT = Path.of("src/test/scripts/real-workload.sh");
    private static final String IMAGE = "berth-test/busybox";
    private static final String NAME = "real-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    static Path dataDir;
    static BerthProcess berth;

    @BeforeAll
    static void start() throws Exception {
        Commands.assumeAwsCli("the real workload on Docker");
        Assumptions.assumeTrue(Commands.dockerHasImage(IMAGE), "no Docker Engine with the image " + IMAGE);
        berth = BerthProcess.allInOne(dataDir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (berth != null) {
            berth.close();
            // The agent keeps stopped containers for a while, as the ECS agent does; this test's go now.
            Commands.run(Map.of(), Duration.ofMinutes(1), "bash", "-c",
                    "docker ps -aq --filter name=ecs-" + NAME + " | xargs -r docker rm -f");
        }
    }

    @Test
    void aRealTaskDefinitionLogsItsSecretsAndIsHealthyAndASickServiceTaskIsReplaced() throws Exception {
        Commands.Result result = Commands.run(Map.of(
                "ENDPOINT", "http://127.0.0.1:" + berth.port(),
                "CREDENTIALS", dataDir.resolve("credentials").toString(),
                "REGION", RunningBerth.REGION,
                "NAME", NAME,
                "IMAGE", IMAGE), Duration.ofMinutes(8), "bash", SCRIPT.toString());

        System.out.println(result.output());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("first line password=ssm-value-" + NAME + " token=asm-value-" + NAME)
                .contains("a task stopped for its health check, its health = UNHEALTHY")
                .endsWith("OK\n");
    }
}
