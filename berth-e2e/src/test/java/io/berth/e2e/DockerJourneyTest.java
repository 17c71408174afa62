package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real containers with the real {@code aws} CLI against {@code berth all-in-one} in its own JVM, through
 * {@code src/test/scripts/docker-journey.sh}.
 */
class DockerJourneyTest {

    private static final Path SCRIPT = Path.of("src/test/scripts/docker-journey.sh");
    private static final String ACCOUNT = DockerHost.freshAccountId();

    @TempDir
    static Path dir;
    static BerthProcess berth;

    @BeforeAll
    static void start() throws Exception {
        String aws = run("bash", "-c", "command -v aws && aws --version 2>&1; command -v curl");
        if (!aws.contains("aws-cli/") || !aws.contains("curl")) {
            System.out.println("Skipping the Docker journey: the aws CLI or curl is not installed.");
        }
        Assumptions.assumeTrue(aws.contains("aws-cli/") && aws.contains("curl"), "the aws CLI or curl is not installed");
        DockerHost.requireDocker();
        berth = BerthProcess.allInOne(dir.resolve("data"), "--account-id", ACCOUNT);
    }

    @AfterAll
    static void stop() {
        if (berth != null) {
            berth.kill();
            DockerHost.removeContainersOfAccount(ACCOUNT);
        }
    }

    @Test
    void theWordPressShapedTaskRunsAndStopsAndAnEssentialExitStopsItsTask() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString());
        builder.environment().put("ENDPOINT", berth.endpoint());
        builder.environment().put("AWS_CA_BUNDLE", BerthProcess.caBundle(dir.resolve("data")).toString());
        builder.environment().put("CREDENTIALS", dir.resolve("data/credentials").toString());
        builder.environment().put("REGION", RunningBerth.REGION);
        builder.environment().put("HOST_PORT", Integer.toString(DockerHost.freePort()));
        String output = runScript(builder);

        System.out.println(output);
        assertThat(output).contains("Docker journey done");
    }

    private static String runScript(ProcessBuilder builder) throws Exception {
        Path log = Files.createTempFile(dir, "docker-journey", ".log");
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("the script timed out:\n" + output).isTrue();
        assertThat(process.exitValue()).as(output + "\n--- berth:\n" + berth.output()).isZero();
        return output;
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }
}
