package io.berth.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import java.util.concurrent.TimeUnit;

/** Runs the command-line tools the journeys use (the aws CLI, bash scripts, docker) and reads what they printed. */
final class Commands {

    /** What a command printed, stdout and stderr together, and how it exited (-1: did not start or timed out). */
    record Result(int exitCode, String output) {
    }

    private Commands() {
    }

    /**
     * Runs the command in the directory with the environment added to this process's (a null value
     * removes the variable), for at most the timeout.
     */
    static Result run(Path directory, Map<String, String> environment, Duration timeout, String... command)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("berth-command", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            environment.forEach((name, value) -> {
                if (value == null) {
                    builder.environment().remove(name);
                } else {
                    builder.environment().put(name, value);
                }
            });
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                return new Result(-1, e.getMessage());
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Result(-1, Files.readString(log, StandardCharsets.UTF_8) + "\n(timed out)");
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static Result run(Map<String, String> environment, Duration timeout, String... command)
            throws IOException, InterruptedException {
        return run(null, environment, timeout, command);
    }

    /**
     * The environment the journey scripts read: the server's endpoint, its first key's credentials file and region,
     * and its CA certificate, which the aws CLI and boto3 trust through {@code AWS_CA_BUNDLE}.
     */
    static Map<String, String> journeyEnvironment(RunningBerth berth) {
        return Map.of("ENDPOINT", berth.endpoint(),
                "AWS_CA_BUNDLE", berth.caBundle().toString(),
                "CREDENTIALS", berth.dataDir().resolve("credentials").toString(),
                "REGION", RunningBerth.REGION);
    }

    /** Whether the aws CLI is on the PATH. */
    static boolean awsCliInstalled() throws IOException, InterruptedException {
        return run(Map.of(), Duration.ofMinutes(1), "bash", "-c", "command -v aws >/dev/null && aws --version 2>&1")
                .output().contains("aws-cli/");
    }

    /** Skips the calling tests, saying so, where the aws CLI is not on the PATH; {@code what} names them. */
    static void assumeAwsCli(String what) throws IOException, InterruptedException {
        boolean installed = awsCliInstalled();
        if (!installed) {
            System.out.println("Skipping " + what + ": the aws CLI is not installed.");
        }
        Assumptions.assumeTrue(installed, "the aws CLI is not installed");
    }

    /** Whether a Docker Engine answers and holds the image. */
    static boolean dockerHasImage(String image) throws IOException, InterruptedException {
        return run(Map.of(), Duration.ofMinutes(1), "docker", "image", "inspect", image).exitCode() == 0;
    }
}
