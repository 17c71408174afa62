package io.berth.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .deb that {@code mvn package} builds installs Berth, its launcher, its units and their settings. */
class DebPackageTest {

    private static final Pattern ASSIGNMENT = Pattern.compile("\"([^\"]*)\"|(\\S+)");

    private static BuiltDeb deb;

    @BeforeAll
    static void findPackage() throws IOException {
        Shell.assumeTool("dpkg-deb", "the .deb's contents");
        deb = BuiltDeb.find();
    }

    @Test
    void declaresPackageVersionAndAJava21RuntimeDebianCanSatisfy() throws Exception {
        Map<String, String> control = deb.control();

        assertThat(control).containsEntry("Package", "berth").containsEntry("Architecture", "all")
                .containsKeys("Maintainer", "Description");
        String projectVersion = System.getProperty("berth.version", "");
        assertThat(control.get("Version")).isEqualToIgnoringCase(projectVersion.replace("-SNAPSHOT", "~snapshot"));
        assertThat(control.get("Depends").split(",\\s*"))
                .contains("adduser", "openjdk-21-jre-headless | openjdk-25-jre-headless | java21-runtime-headless");
    }

    @Test
    void installsTheJarWithEveryLibraryItsManifestNames(@TempDir Path root) throws Exception {
        Map<String, String> contents = deb.contents();
        Path jar = deb.extract(root).resolve("usr/share/berth/berth.jar");

        String classPath;
        try (JarFile file = new JarFile(jar.toFile())) {
            classPath = file.getManifest().getMainAttributes().getValue("Class-Path");
        }
        assertThat(classPath).isNotBlank();
        assertThat(contents.keySet()).containsAll(
                Arrays.stream(classPath.split(" ")).map(entry -> "/usr/share/berth/" + entry).toList());
        assertThat(contents).containsEntry("/usr/share/berth/berth.jar", "-rw-r--r-- root/root");
    }

    @Test
    void installsTheLauncherTheUnitsAndTheirSettingsAsConffiles() throws Exception {
        Map<String, String> contents = deb.contents();

        assertThat(contents)
                .containsEntry("/usr/bin/berth", "-rwxr-xr-x root/root")
                .containsEntry("/usr/share/berth/java-runtime.sh", "-rw-r--r-- root/root")
                .containsEntry("/lib/systemd/system/berth-server.service", "-rw-r--r-- root/root")
                .containsEntry("/lib/systemd/system/berth-agent.service", "-rw-r--r-- root/root")
                .containsEntry("/etc/berth/server.env", "-rw------- root/root")
                .containsEntry("/etc/berth/agent.env", "-rw------- root/root");
        assertThat(deb.controlFile("conffiles").lines()).containsExactlyInAnyOrder(
                "/etc/berth/server.env", "/etc/berth/agent.env");
    }

    @Test
    void settingsFilesChangeNothingUntilEditedAndShowTheUnitsDefaults(@TempDir Path root) throws Exception {
        deb.extract(root);
        Map<String, String> unitOfSettings = Map.of("server.env", "berth-server.service", "agent.env", "berth-agent.service");
        for (Map.Entry<String, String> pair : unitOfSettings.entrySet()) {
            List<String> settings = Files.readAllLines(root.resolve("etc/berth").resolve(pair.getKey()));
            List<String> unit = Files.readAllLines(root.resolve("lib/systemd/system").resolve(pair.getValue()));

            assertThat(settings).as(pair.getKey()).allMatch(line -> line.isBlank() || line.startsWith("#"));
            assertThat(settings.stream().filter(line -> line.matches("#[A-Z_]+=.*")).map(line -> line.substring(1)))
                    .as(pair.getKey() + " shows exactly the defaults " + pair.getValue() + " sets")
                    .containsExactlyInAnyOrderElementsOf(unitDefaults(unit));
        }
    }

    /** The NAME=value assignments of a unit's Environment= lines (quoted ones unquoted). */
    private static List<String> unitDefaults(List<String> unit) {
        return unit.stream().filter(line -> line.startsWith("Environment="))
                .flatMap(line -> ASSIGNMENT.matcher(line.substring("Environment=".length())).results())
                .map(match -> match.group(1) != null ? match.group(1) : match.group(2))
                .toList();
    }

    @Test
    void maintainerScriptsAreValidShellThatStopOnErrors() throws Exception {
        for (String script : new String[] {"postinst", "prerm", "postrm"}) {
            String text = deb.controlFile(script);

            assertThat(text).startsWith("#!/bin/sh\n").contains("\nset -e\n").endsWith("\nexit 0\n");
            assertThat(Shell.run("sh", "-n", "src/deb/control/" + script).exitCode()).as(script).isZero();
        }
    }

    @Test
    void postinstCreatesTheBerthUserAndAStateDirectoryOnlyItReads() throws Exception {
        String postinst = deb.controlFile("postinst");

        assertThat(postinst)
                .contains("adduser --system --group --home /var/lib/berth --no-create-home berth")
                .contains("chown berth:berth /var/lib/berth")
                .contains("chmod 0700 /var/lib/berth");
        assertThat(postinst.lines().map(String::strip))
                .as("a first install starts nothing").noneMatch(line -> line.startsWith("systemctl start")
                        || line.startsWith("systemctl enable") || line.startsWith("deb-systemd-invoke"));
    }
}
