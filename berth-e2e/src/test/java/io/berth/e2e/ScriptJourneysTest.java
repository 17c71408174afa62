package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journeys of {@code src/test/scripts/} that a user can run against any Berth, each against a
 * server of its own, driven by the real {@code aws} CLI or boto3; each skips, saying so, where its
 * client is not installed.
 */
class ScriptJourneysTest {

    @Test
    void theTaskJourneyRunsWithTheAwsCli(@TempDir Path dataDir) throws Exception {
        Commands.assumeAwsCli("the CLI journey");
        // How far the journey goes: the script's UNTIL (cluster, taskdef, instance or task).
        assertThat(journey(dataDir, Map.of("UNTIL", "task"), "bash", "cli-journey.sh")).contains("Journey done");
    }

    @Test
    void theSeedsIamCommandsWorkVerbatim(@TempDir Path dataDir) throws Exception {
        Commands.assumeAwsCli("the IAM CLI journey");
        assertThat(journey(dataDir, Map.of(), "bash", "iam-journey.sh")).contains("IAM journey done");
    }

    @Test
    void getAndFilterLogEventsWorkWithTheAwsCli(@TempDir Path dataDir) throws Exception {
        Commands.assumeAwsCli("the Logs CLI journey");
        assertThat(journey(dataDir, Map.of(), "bash", "logs-journey.sh")).contains("Journey done")
                .doesNotContain("FAILED");
    }

    @Test
    void cloudTrailLookupEventsListsACreateClusterWithItsCaller(@TempDir Path dataDir) throws Exception {
        Commands.assumeAwsCli("the audit trail CLI journey");
        assertThat(journey(dataDir, Map.of(), "bash", "audit-journey.sh")).contains("Audit journey done")
                .doesNotContain("FAILED");
    }

    @Test
    void boto3PaginatesLogsParametersAndSecrets(@TempDir Path dataDir) throws Exception {
        boolean installed = Commands.run(Map.of(), Duration.ofMinutes(1), "python3", "-c", "import boto3")
                .exitCode() == 0;
        if (!installed) {
            System.out.println("Skipping the boto3 journey: python3 with boto3 is not installed.");
        }
        Assumptions.assumeTrue(installed, "boto3 is not installed");
        assertThat(journey(dataDir, Map.of(), "python3", "boto3-services.py")).contains("boto3 journey done")
                .doesNotContain("FAILED");
    }

    /** Runs the script against a new server in the directory and answers what it printed once it exited 0. */
    private static String journey(Path dataDir, Map<String, String> environment, String interpreter, String script)
            throws Exception {
        try (RunningBerth berth = RunningBerth.start(dataDir)) {
            Map<String, String> all = new HashMap<>(Commands.journeyEnvironment(berth));
            all.putAll(environment);
            Commands.Result result = Commands.run(all, Duration.ofMinutes(3), interpreter,
                    Path.of("src/test/scripts", script).toString());
            System.out.println(result.output());
            assertThat(result.exitCode()).as(result.output()).isZero();
            return result.output();
        }
    }
}
