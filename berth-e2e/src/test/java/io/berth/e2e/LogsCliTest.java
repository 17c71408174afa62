package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
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
        Commands.assumeAwsCli("the Logs CLI journey");
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
        Commands.Result result = Commands.run(Commands.journeyEnvironment(berth), Duration.ofMinutes(3),
                "bash", SCRIPT.toString());

        System.out.println(result.output());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Journey done").doesNotContain("FAILED");
    }
}
