package io.berth.e2e;

import io.berth.agent.tls.ServerTrust;
import io.berth.server.tls.ServerTls;
import io.berth.server.tls.TlsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;

/**
 * The one certificate authority of the in-process servers of this test run ({@link RunningBerth}) and of the nodes of
 * a {@link NodeSet}: made once as a server makes its own on first start, and put into each server's data directory
 * before it starts, as an operator gives several nodes one CA. Every client of the suite trusts any of those servers through {@link #TRUST}.
 */
final class TestCa {

    private static final Path DIR = create();
    /** The CA's certificate, for clients that take a file. */
    static final Path CERTIFICATE = DIR.resolve(TlsConfig.CA_FILE);
    /** The JVM's trust store and the test CA. */
    static final ServerTrust TRUST = ServerTrust.withCaBundle(CERTIFICATE);

    private TestCa() {
    }

    /** Puts the CA's certificate and key into a data directory that has no CA of its own yet. */
    static void install(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            for (String file : List.of(TlsConfig.CA_FILE, "ca.key")) {
                if (!Files.exists(dataDir.resolve(file))) {
                    Files.copy(DIR.resolve(file), dataDir.resolve(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot put the test CA into " + dataDir, e);
        }
    }

    private static Path create() {
        try {
            Path dir = Files.createTempDirectory("berth-test-ca-");
            // A self-signed server's first preparation creates the CA in its directory.
            ServerTls.connector(new Server(), new HttpConfiguration(), TlsConfig.selfSigned(), dir, List.of());
            try (var files = Files.list(dir)) {
                files.forEach(file -> file.toFile().deleteOnExit());
            }
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the test CA", e);
        }
    }
}
