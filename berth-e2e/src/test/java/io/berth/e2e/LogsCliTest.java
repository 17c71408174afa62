package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CloudWatch Logs driven by the real {@code aws} CLI through {@code src/test/scripts/logs-journey.sh}. */
class LogsCliTest {

    private static final Path SCRIPT = Path.of("src/test/scripts/logs-journey.sh");

    @TempDir
    static Path dataDir;
    static RunningBerth berth;

    @BeforeAll
    static void start() throws Exception {
        String aws = run("bash", "-c", "command -v aws && aws --version 2>&1");
        if (!aws.contains("aws-cli/")) {
            System.out.println("Skipping the Logs CLI journey: the aws CLI is not installed.");
        }
        Assumptions.assumeTrue(aws.contains("aws-cli/"), "the aws CLI is not installed");
        berth = RunningBerth.start(dataDir);
    }

    @AfterAll
    static void stop() {
        if (berth != null) {
            berth.close();
        }
    }

    @Test
    void getAndFilterLogEventsWorkWithTheAwsCli() throws Exception {
        String output = run("bash", SCRIPT.toString());

        System.out.println(output);
        assertThat(output).contains("Journey done").doesNotContain("FAILED");
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("logs-journey", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            if (berth != null) {
                builder.environment().put("ENDPOINT", berth.endpoint());
                builder.environment().put("CREDENTIALS", berth.dataDir().resolve("credentials").toString());
                builder.environment().put("REGION", RunningBerth.REGION);
            }
            Process process = builder.start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return Files.readString(log, StandardCharsets.UTF_8) + "\n(timed out)";
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            return process.exitValue() == 0 ? output : output + "\nFAILED: exit code " + process.exitValue();
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
