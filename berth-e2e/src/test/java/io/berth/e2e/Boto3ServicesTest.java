package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CloudWatch Logs, SSM and Secrets Manager driven by boto3 and its paginators through
 * {@code src/test/scripts/boto3-services.py}; skipped, saying so, where boto3 is not installed.
 */
class Boto3ServicesTest {

    private static final Path SCRIPT = Path.of("src/test/scripts/boto3-services.py");

    @TempDir
    static Path dataDir;
    static RunningBerth berth;

    @BeforeAll
    static void start() throws Exception {
        boolean installed = Commands.run(Map.of(), Duration.ofMinutes(1), "python3", "-c", "import boto3")
                .exitCode() == 0;
        if (!installed) {
            System.out.println("Skipping the boto3 journey: python3 with boto3 is not installed.");
        }
        Assumptions.assumeTrue(installed, "boto3 is not installed");
        berth = RunningBerth.start(dataDir);
    }

    @AfterAll
    static void stop() {
        if (berth != null) {
            berth.close();
        }
    }

    @Test
    void boto3PaginatesLogsParametersAndSecrets() throws Exception {
        Commands.Result result = Commands.run(Commands.journeyEnvironment(berth), Duration.ofMinutes(3),
                "python3", SCRIPT.toString());

        System.out.println(result.output());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("boto3 journey done").doesNotContain("FAILED");
    }
}
