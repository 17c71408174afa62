package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journeys of {@code src/test/scripts/} that need containers, driven by the real {@code aws} CLI
 * against one {@code berth all-in-one} whose agent runs the tasks on this host's Docker Engine, each
 * under names of its own. Skipped without the CLI, a Docker Engine, or the test image
 * {@code berth-test/busybox} (which the agent's tests import).
 */
class DockerScriptJourneysTest {

    private static final String IMAGE = "berth-test/busybox";
    private static final String NAME = UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    static Path dataDir;
    static BerthProcess berth;

    @BeforeAll
    static void start() throws Exception {
        Commands.assumeAwsCli("the Docker journeys");
        Assumptions.assumeTrue(Commands.dockerHasImage(IMAGE), "no Docker Engine with the image " + IMAGE);
        berth = BerthProcess.allInOne(dataDir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (berth != null) {
            berth.close();
            // The agent keeps stopped containers for a while, as the ECS agent does; these journeys' go now.
            Commands.run(Map.of(), Duration.ofMinutes(1), "bash", "-c",
                    "docker ps -aq --filter name=ecs-rolling-" + NAME + " --filter name=ecs-real-" + NAME
                            + " | xargs -r docker rm -f");
        }
    }

    @Test
    void aRollingUpdateOnDockerKeepsTheMinimumHealthyAndCompletes() throws Exception {
        assertThat(journey("service-rolling-update.sh", Map.of("SERVICE", "rolling-" + NAME)))
                .contains("deployment completed.").endsWith("OK\n");
    }

    @Test
    void aRealTaskDefinitionLogsItsSecretsAndIsHealthyAndASickServiceTaskIsReplaced() throws Exception {
        String name = "real-" + NAME;
        assertThat(journey("real-workload.sh", Map.of("NAME", name)))
                .contains("first line password=ssm-value-" + name + " token=asm-value-" + name)
                .contains("a task stopped for its health check, its health = UNHEALTHY")
                .endsWith("OK\n");
    }

    private static String journey(String script, Map<String, String> names) throws Exception {
        Map<String, String> environment = new HashMap<>(names);
        environment.putAll(Map.of(
                "ENDPOINT", berth.endpoint(),
                "AWS_CA_BUNDLE", BerthProcess.caBundle(dataDir).toString(),
                "CREDENTIALS", dataDir.resolve("credentials").toString(),
                "REGION", RunningBerth.REGION,
                "IMAGE", IMAGE));
        Commands.Result result = Commands.run(environment, Duration.ofMinutes(8), "bash",
                Path.of("src/test/scripts", script).toString());
        System.out.println(result.output());
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output();
    }
}
