package io.berth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** What the benchmarks read of a process on this machine (its CPU time and its resident memory), and a port for one. */
final class Processes {

    private Processes() {
    }

    /** CPU time a process has used, user and system; empty for pid 0 or a process that is gone. */
    static OptionalLong cpuNanos(long pid) {
        if (pid <= 0) {
            return OptionalLong.empty();
        }
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration())
                .map(d -> OptionalLong.of(d.toNanos())).orElse(OptionalLong.empty());
    }

    /** CPU time of this process, every thread. */
    static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** VmRSS of a Linux process, in MiB; NaN for pid 0 or when unreadable. */
    static double residentMiB(long pid) {
        if (pid <= 0) {
            return Double.NaN;
        }
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .mapToDouble(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0)
                    .findFirst().orElse(Double.NaN);
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** Whether a command's subcommand lists the option in its help: what a build of another version understands. */
    static boolean knowsOption(List<String> command, String subcommand, String option) {
        List<String> help = new ArrayList<>(command);
        help.addAll(List.of(subcommand, "--help"));
        try {
            Process process = new ProcessBuilder(help).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return output.contains(option + " ") || output.contains(option + "\n") || output.contains(option + ",");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + help, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A loopback port free at the moment, for a server the benchmark starts. */
    static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
