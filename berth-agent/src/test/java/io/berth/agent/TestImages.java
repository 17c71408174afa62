package io.berth.agent;

import io.berth.agent.docker.DockerRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * The Docker side of the tests: a connection to the local daemon (tests skip, saying why, when there is none) and
 * {@value #BUSYBOX}, an image built here from the host's static busybox so no registry is needed. Other suites may
 * have made that image with nothing but {@code /bin/busybox}, so commands never rely on more (see {@code AcsFixtures}).
 */
public final class TestImages {

    public static final String BUSYBOX = "berth-test/busybox:latest";

    private static final List<String> APPLETS = List.of("sh", "sleep", "httpd", "nc", "echo", "cat", "wget", "mkdir",
            "seq", "test", "[", "true", "false", "ls", "grep", "touch", "env", "id", "hostname", "kill", "ps", "rm",
            "date", "printf");
    private static final List<Path> BUSYBOX_BINARIES = List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox"));

    private TestImages() {
    }

    /** A runtime on the local daemon with the test image present; skips the calling test when Docker is unreachable. */
    public static DockerRuntime dockerOrSkip() {
        DockerRuntime docker;
        try {
            docker = DockerRuntime.connect();
        } catch (RuntimeException e) {
            System.out.println("Docker is not reachable (" + e.getMessage() + "); skipping the Docker tests");
            Assumptions.abort("Docker is not reachable, skipping: " + e.getMessage());
            return null;
        }
        if (!docker.reachable()) {
            docker.close();
            System.out.println("Docker is not reachable (DOCKER_HOST=" + System.getenv("DOCKER_HOST")
                    + "); skipping the Docker tests");
            Assumptions.abort("Docker is not reachable (DOCKER_HOST=" + System.getenv("DOCKER_HOST") + ")");
        }
        ensureBusybox(docker);
        return docker;
    }

    /** Imports {@value #BUSYBOX} unless it is already there. */
    public static synchronized void ensureBusybox(DockerRuntime docker) {
        if (docker.imageExists(BUSYBOX)) {
            return;
        }
        Path busybox = BUSYBOX_BINARIES.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (busybox == null) {
            System.out.println("No static busybox on this host (install busybox-static); skipping the Docker tests");
        }
        Assumptions.assumeTrue(busybox != null, "No static busybox on this host (install busybox-static)");
        docker.importImage("berth-test/busybox", "latest", new ByteArrayInputStream(rootFileSystem(busybox)));
    }

    private static byte[] rootFileSystem(Path busybox) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            directory(tar, "bin/");
            directory(tar, "tmp/");
            directory(tar, "etc/");
            TarArchiveEntry binary = new TarArchiveEntry("bin/busybox");
            byte[] content = Files.readAllBytes(busybox);
            binary.setSize(content.length);
            binary.setMode(0755);
            tar.putArchiveEntry(binary);
            tar.write(content);
            tar.closeArchiveEntry();
            for (String applet : APPLETS) {
                TarArchiveEntry link = new TarArchiveEntry("bin/" + applet, TarArchiveEntry.LF_SYMLINK);
                link.setLinkName("busybox");
                link.setMode(0777);
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(name.equals("tmp/") ? 01777 : 0755);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    /** Removes every container and volume labelled {@code key=value}: what one test class created. */
    public static void removeLabelled(DockerRuntime docker, String key, String value) {
        docker.listByLabel(key, value).forEach(c -> docker.remove(c.id()));
        docker.volumesByLabel(key, value).forEach(docker::removeVolume);
    }
}
