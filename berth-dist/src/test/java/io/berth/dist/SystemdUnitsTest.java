package io.berth.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The package's systemd units are valid, read their settings, and confine the control plane. */
class SystemdUnitsTest {

    private static final Path HOST_UNITS = Path.of("/lib/systemd/system");

    @TempDir
    static Path root;

    private static Path units;

    @BeforeAll
    static void unpack() throws Exception {
        Shell.assumeTool("dpkg-deb", "the package's units");
        units = BuiltDeb.find().extract(root).resolve("lib/systemd/system");
    }

    @Test
    void unitsPassSystemdAnalyzeVerify() throws Exception {
        Shell.assumeTool("systemd-analyze", "systemd-analyze verify");
        copyHostTargets();

        Shell.Result result = Shell.run("systemd-analyze", "verify", "--root=" + root,
                units.resolve("berth-server.service").toString(), units.resolve("berth-agent.service").toString());

        // verify also exits 0 on unknown or malformed settings, which it only prints.
        assertThat(result.output()).isEmpty();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void serverRunsAsBerthWithItsSettingsAndWritesOnlyItsState() throws IOException {
        List<String> server = Files.readAllLines(units.resolve("berth-server.service"));

        assertThat(server).contains("User=berth", "EnvironmentFile=-/etc/berth/server.env",
                "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/berth", "PrivateTmp=yes",
                "ProtectHome=yes", "CapabilityBoundingSet=");
        assertThat(server).anyMatch(line -> line.startsWith("ExecStart=/usr/bin/berth server --data-dir ${BERTH_DATA_DIR}"));
        assertThat(server).anyMatch(line -> line.startsWith("Environment=") && line.contains("BERTH_DATA_DIR=/var/lib/berth"));
    }

    @Test
    void agentRunsAsRootWithItsSettings() throws IOException {
        List<String> agent = Files.readAllLines(units.resolve("berth-agent.service"));

        assertThat(agent).contains("User=root", "EnvironmentFile=-/etc/berth/agent.env");
        assertThat(agent).anyMatch(line -> line.startsWith("ExecStart=/usr/bin/berth agent --endpoint ${BERTH_ENDPOINT}"));
    }

    /** systemd-analyze resolves the targets the units name inside the root it is given. */
    private static void copyHostTargets() throws IOException {
        try (Stream<Path> hostUnits = Files.list(HOST_UNITS)) {
            for (Path target : hostUnits.filter(p -> p.toString().endsWith(".target")).toList()) {
                Files.copy(target, units.resolve(target.getFileName()), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.COPY_ATTRIBUTES, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
        }
    }
}
