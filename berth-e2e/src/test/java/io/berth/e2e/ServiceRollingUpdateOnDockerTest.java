package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
        Assumptions.assumeTrue(run(Map.of(), "bash", "-c", "aws --version").output().contains("aws-cli/"),
                "the aws CLI is not installed");
        Assumptions.assumeTrue(run(Map.of(), "docker", "image", "inspect", IMAGE).exitCode() == 0,
                "no Docker Engine with the image " + IMAGE);
        berth = BerthProcess.allInOne(dataDir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (berth != null) {
            berth.close();
            // The agent keeps stopped containers for a while, as the ECS agent does; this test's go now.
            run(Map.of(), "bash", "-c", "docker ps -aq --filter name=ecs-" + SERVICE + "- | xargs -r docker rm -f");
        }
    }

    @Test
    void aRollingUpdateOnDockerKeepsTheMinimumHealthyAndCompletes() throws Exception {
        Result result = run(Map.of(
                "ENDPOINT", "http://127.0.0.1:" + berth.port(),
                "CREDENTIALS", dataDir.resolve("credentials").toString(),
                "REGION", RunningBerth.REGION,
                "SERVICE", SERVICE,
                "IMAGE", IMAGE), "bash", SCRIPT.toString());

        System.out.println(result.output());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("deployment completed.").endsWith("OK\n");
    }

    record Result(int exitCode, String output) {
    }

    private static Result run(Map<String, String> environment, String... command)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("service-rolling-update", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                return new Result(-1, e.getMessage());
            }
            if (!process.waitFor(8, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return new Result(-1, Files.readString(log, StandardCharsets.UTF_8) + "\n(timed out)");
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
