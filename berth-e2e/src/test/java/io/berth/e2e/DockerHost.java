package io.berth.e2e;

import io.berth.agent.TestImages;
import io.berth.agent.docker.DockerRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * This host's Docker Engine as the end-to-end tests use it: skip when it is unreachable, the {@code docker} CLI, and
 * removing exactly the containers of the tasks of one test's account (task ARNs name the account, and each test
 * class starts Berth with an account of its own).
 */
final class DockerHost {

    static final String TASK_ARN_LABEL = "com.amazonaws.ecs.task-arn";

    private DockerHost() {
    }

    /** Skips the calling test class, saying why, unless Docker answers; makes sure the test image exists. */
    static void requireDocker() {
        try (DockerRuntime docker = TestImages.dockerOrSkip()) {
            // dockerOrSkip aborted the test already when there is no daemon
        }
    }

    /** A random account id, so that this class's task ARNs are its own. */
    static String freshAccountId() {
        return Long.toString(100_000_000_000L + ThreadLocalRandom.current().nextLong(899_999_999_999L));
    }

    /** Runs {@code docker ARGS...}; the output, or an exception with it when docker fails. */
    static String docker(String... arguments) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The ids of the containers, running or not, of one task. */
    static List<String> containersOf(String taskArn) {
        String ids = docker("ps", "-aq", "--filter", "label=" + TASK_ARN_LABEL + "=" + taskArn);
        return ids.isEmpty() ? List.of() : List.of(ids.split("\\s+"));
    }

    /** The ids of the running containers of one task. */
    static List<String> runningContainersOf(String taskArn) {
        String ids = docker("ps", "-q", "--filter", "label=" + TASK_ARN_LABEL + "=" + taskArn);
        return ids.isEmpty() ? List.of() : List.of(ids.split("\\s+"));
    }

    /** Removes every container of a task of the account: what one test class's agents started. */
    static void removeContainersOfAccount(String accountId) {
        String listing = docker("ps", "-a", "--filter", "label=" + TASK_ARN_LABEL,
                "--format", "{{.ID}} {{.Label \"" + TASK_ARN_LABEL + "\"}}");
        for (String line : listing.lines().toList()) {
            String[] parts = line.split(" ", 2);
            if (parts.length == 2 && parts[1].contains(":" + accountId + ":task/")) {
                docker("rm", "-f", "-v", parts[0]);
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
