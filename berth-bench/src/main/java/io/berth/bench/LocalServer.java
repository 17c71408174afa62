package io.berth.bench;

import io.berth.control.iam.AccessKey;
import io.berth.server.BerthServer;
import io.berth.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A Berth server in this process on a fresh data directory, for a benchmark given no endpoint. */
final class LocalServer {

    /** A benchmark run against an endpoint, signed with a key of the account's root. */
    @FunctionalInterface
    interface Run<R> {
        R against(String endpoint, String accessKeyId, String secretAccessKey);
    }

    private LocalServer() {
    }

    /** Starts the server, runs the benchmark against it, stops it and removes its data. */
    static <R> R run(String region, Run<R> run) {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("berth-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (BerthServer server = BerthServer.start(new ServerConfig("127.0.0.1", 0, dataDir, region, null,
                "aws", false, null))) {
            AccessKey key = server.firstKey();
            return run.against(server.endpoint(), key.accessKeyId(), key.secretAccessKey());
        } finally {
            deleteQuietly(dataDir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind is harmless.
        }
    }
}
