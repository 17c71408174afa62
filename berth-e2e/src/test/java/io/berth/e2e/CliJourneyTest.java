package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task journey driven by the real {@code aws} CLI through {@code src/test/scripts/cli-journey.sh}. */
class CliJourneyTest {

    private static final Path SCRIPT = Path.of("src/test/scripts/cli-journey.sh");
    /** How far the journey goes: the script's UNTIL (cluster, taskdef, instance or task). */
    private static final String UNTIL = "task";

    @TempDir
    static Path dataDir;
    static RunningBerth berth;

    @BeforeAll
    static void start() throws Exception {
        Commands.assumeAwsCli("the CLI journey");
        berth = RunningBerth.start(dataDir);
    }

    @AfterAll
    static void stop() {
        if (berth != null) {
            berth.close();
        }
    }

    @Test
    void theJourneyRunsWithTheAwsCli() throws Exception {
        Map<String, String> environment = new HashMap<>(Commands.journeyEnvironment(berth));
        environment.put("UNTIL", UNTIL);
        Commands.Result result = Commands.run(environment, Duration.ofMinutes(3), "bash", SCRIPT.toString());

        System.out.println(result.output());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Journey done");
    }
}
