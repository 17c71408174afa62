package io.berth.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers (the package's {@code /usr/bin/berth} and the repository's {@code ./berth}) run Berth on Java 21 or
 * newer and say what to install when the runtime is older, before anything else.
 */
class LauncherTest {

    private static final Path REPOSITORY_LAUNCHER = Path.of("..", "berth").toAbsolutePath().normalize();

    @TempDir
    static Path root;

    private static Path packagedLauncher;

    @BeforeAll
    static void unpack() throws Exception {
        Shell.assumeTool("dpkg-deb", "the packaged launcher");
        packagedLauncher = BuiltDeb.find().extract(root).resolve("usr/bin/berth");
    }

    @Test
    void packagedLauncherPrintsTheBuildsVersion() throws Exception {
        Shell.Result result = packaged(Map.of("JAVA_HOME", System.getProperty("java.home")), "--version");

        assertThat(result.output()).startsWith("berth " + System.getProperty("berth.version") + " (Java ");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void packagedLauncherRefusesAnOldJavaOnThePathSayingWhatToInstall(@TempDir Path dir) throws Exception {
        Shell.Result result = packaged(withoutJavaHome(fakeJava(dir, "openjdk version \"17.0.2\" 2022-01-18")),
                "--version");

        assertThat(result.output()).startsWith("Berth needs Java 21 or newer; found 17 (")
                .contains("Install openjdk-21-jre-headless (or newer) or set JAVA_HOME").doesNotContain("fake java ran");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void readsTheOldVersionScheme(@TempDir Path dir) throws Exception {
        Shell.Result result = packaged(withoutJavaHome(fakeJava(dir, "java version \"1.8.0_402\"")), "--version");

        assertThat(result.output()).startsWith("Berth needs Java 21 or newer; found 8 (");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void saysSoWhenJavaHomeHoldsNoJava(@TempDir Path dir) throws Exception {
        Shell.Result result = packaged(Map.of("JAVA_HOME", dir.toString()), "--version");

        assertThat(result.output()).startsWith("Berth needs Java 21 or newer; found no java in JAVA_HOME (" + dir);
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void repositoryLauncherChecksJavaBeforeBuilding(@TempDir Path dir) throws Exception {
        Map<String, String> environment = withoutJavaHome(fakeJava(dir, "openjdk version \"17.0.2\" 2022-01-18"));

        Shell.Result result = Shell.run(environment, List.of(REPOSITORY_LAUNCHER.toString(), "--version"));

        assertThat(result.output()).startsWith("Berth needs Java 21 or newer; found 17 (").doesNotContain("Building");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    private static Shell.Result packaged(Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException {
        Map<String, String> withHome = new HashMap<>(environment);
        withHome.put("BERTH_HOME", root.resolve("usr/share/berth").toString());
        List<String> command = new ArrayList<>(List.of(packagedLauncher.toString()));
        command.addAll(List.of(arguments));
        return Shell.run(withHome, command);
    }

    /** A PATH whose first java is a script that answers {@code -version} as an installed runtime would. */
    private static String fakeJava(Path dir, String versionLine) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho '" + versionLine + "' >&2\necho 'fake java ran' >&2\nexit 1\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin + ":/usr/bin:/bin";
    }

    private static Map<String, String> withoutJavaHome(String path) {
        Map<String, String> environment = new HashMap<>();
        environment.put("PATH", path);
        environment.put("JAVA_HOME", null);
        return environment;
    }
}
