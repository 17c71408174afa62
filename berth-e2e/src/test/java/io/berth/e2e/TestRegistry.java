package io.berth.e2e;

import static io.berth.e2e.DockerHost.docker;
import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.berth.agent.TestImages;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A private registry with basic auth (Debian's {@code docker-registry}, on a loopback port) holding the test image
 * and nothing else; the image has no local copy until something pulls it. Test classes skip, saying why, when the
 * registry is not installed.
 */
final class TestRegistry implements AutoCloseable {

    private static final Path REGISTRY_BINARY = Path.of("/usr/bin/docker-registry");

    private final Path dir;
    private final Process process;
    private final int port;
    private final String user = "builder";
    private final String password = "pw-" + UUID.randomUUID();

    private TestRegistry(Path dir, int port) throws IOException {
        this.dir = dir;
        this.port = port;
        this.process = serve();
    }

    /** Starts a registry keeping its files under {@code dir}, and pushes the test image to it. */
    static TestRegistry withTestImage(Path dir) throws IOException {
        if (!Files.isExecutable(REGISTRY_BINARY)) {
            System.out.println("Skipping the private registry test: " + REGISTRY_BINARY + " is not installed.");
        }
        Assumptions.assumeTrue(Files.isExecutable(REGISTRY_BINARY), REGISTRY_BINARY + " is not installed");
        DockerHost.requireDocker();
        TestRegistry registry = new TestRegistry(dir, DockerHost.freePort());
        registry.pushTestImage();
        return registry;
    }

    /** {@code 127.0.0.1:<port>}, as image references and Docker logins name it. */
    String host() {
        return "127.0.0.1:" + port;
    }

    String image() {
        return host() + "/berth-test/busybox:latest";
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** docker-registry with an htpasswd file holding one bcrypt entry, storing under the test's directory. */
    private Process serve() throws IOException {
        Path htpasswd = dir.resolve("htpasswd");
        Files.writeString(htpasswd, user + ":" + BCrypt.withDefaults().hashToString(6, password.toCharArray()) + "\n");
        Path config = dir.resolve("registry.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                auth:
                  htpasswd:
                    realm: berth-test
                    path: %s
                """.formatted(dir.resolve("storage"), port, htpasswd));
        Process started = new ProcessBuilder(REGISTRY_BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return started;
            } catch (IOException notYet) {
                if (!started.isAlive() || Instant.now().isAfter(deadline)) {
                    started.destroyForcibly();
                    throw new IllegalStateException("docker-registry did not start:\n"
                            + Files.readString(dir.resolve("registry.log")));
                }
                BerthProcess.sleep(Duration.ofMillis(100));
            }
        }
    }

    /** Pushes the test image with a login kept in a Docker client config of this registry only, then drops the tag. */
    private void pushTestImage() throws IOException {
        Path clientConfig = Files.createDirectories(dir.resolve("docker-client"));
        Path passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, password);
        Process login = new ProcessBuilder("docker", "--config", clientConfig.toString(), "login", host(),
                "--username", user, "--password-stdin")
                .redirectInput(passwordFile.toFile()).redirectErrorStream(true).start();
        String output = new String(login.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertThat(login.waitFor()).as(output).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        docker("tag", TestImages.BUSYBOX, image());
        docker("--config", clientConfig.toString(), "push", image());
        docker("rmi", image());
    }

    /** Stops the registry and drops the local copy of its image, if a task pulled it. */
    @Override
    public void close() {
        try {
            docker("rmi", image());
        } catch (IllegalStateException alreadyGone) {
            // nothing pulled it
        }
        process.destroyForcibly();
    }
}
