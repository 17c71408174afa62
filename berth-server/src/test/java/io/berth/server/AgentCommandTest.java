package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.agent.docker.RegistryAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentCommandTest {

    private static final String AUTH_JSON = "{\"127.0.0.1:5000\": {\"username\": \"builder\", \"password\": \"pw\"}}";

    @TempDir
    Path dir;

    @Test
    void engineAuthDataIsTheJsonItself() throws Exception {
        RegistryAuth auth = AgentCommand.registryAuth(AUTH_JSON);

        assertThat(auth.forImage("127.0.0.1:5000/app")).hasValueSatisfying(l -> assertThat(l.username()).isEqualTo("builder"));
    }

    @Test
    void engineAuthDataCanBeAFileThatKeepsPasswordsOutOfTheProcessList() throws Exception {
        Path file = Files.writeString(dir.resolve("auth.json"), AUTH_JSON);

        assertThat(AgentCommand.registryAuth(file.toString()).forImage("127.0.0.1:5000/app")).isPresent();
    }

    @Test
    void noEngineAuthDataMeansNoRegistryLogins() throws Exception {
        assertThat(AgentCommand.registryAuth(null)).isEqualTo(RegistryAuth.NONE);
    }

    @Test
    void malformedEngineAuthDataIsRefused() {
        assertThatThrownBy(() -> AgentCommand.registryAuth("{\"r:1\": {}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a username and a password");
    }

    @Test
    void reservedPortsAreAList() {
        AgentCommand command = new AgentCommand();
        new CommandLine(command).parseArgs("--endpoint", "http://cloud:8773", "--reserved-ports", "22,40001");

        assertThat(command.reservedPorts).containsExactly(22, 40001);
    }
}
