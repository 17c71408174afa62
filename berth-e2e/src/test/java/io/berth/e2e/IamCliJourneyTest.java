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

/** The IAM walkthrough driven by the real {@code aws} CLI through {@code src/test/scripts/iam-journey.sh}. */
class IamCliJourneyTest {

    private static final Path SCRIPT = Path.of("src/test/scripts/iam-journey.sh");

    @TempDir
    static Path dataDir;
    static RunningBerth berth;

    @BeforeAll
    static void start() throws Exception {
        String aws = run("bash", "-c", "command -v aws && aws --version 2>&1").output();
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
    void theSeedsIamCommandsWorkVerbatim() throws Exception {
        Result result = run("bash", SCRIPT.toString());

        System.out.println(result.output());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("IAM journey done");
    }

    record Result(int exitCode, String output) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("iam-journey", ".log");
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
                return new Result(-1, Files.readString(log, StandardCharsets.UTF_8) + "\n(timed out)");
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
