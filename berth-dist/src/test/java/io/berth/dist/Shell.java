package io.berth.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the host's tools (dpkg-deb, systemd-analyze, the launchers) and reads what they printed. */
final class Shell {

    /** What a command printed, stdout and stderr together, and how it exited. */
    record Result(int exitCode, String output) {
    }

    private Shell() {
    }

    /** Runs the command with the environment changed by the map (a null value removes the variable). */
    static Result run(Map<String, String> environment, List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("berth-dist", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            environment.forEach((name, value) -> {
                if (value == null) {
                    builder.environment().remove(name);
                } else {
                    builder.environment().put(name, value);
                }
            });
            Process process = builder.start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish: " + Files.readString(log));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static Result run(String... command) throws IOException, InterruptedException {
        return run(Map.of(), List.of(command));
    }

    /** The output of a command that must succeed. */
    static String output(String... command) throws IOException, InterruptedException {
        Result result = run(command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + result.output());
        }
        return result.output();
    }

    /** Skips the test, saying why, when the host lacks the tool. */
    static void assumeTool(String tool, String why) {
        boolean present = Files.isExecutable(Path.of("/usr/bin", tool)) || Files.isExecutable(Path.of("/bin", tool));
        Assumptions.assumeTrue(present, tool + " is not installed on this host, so " + why + " is not checked");
    }
}
