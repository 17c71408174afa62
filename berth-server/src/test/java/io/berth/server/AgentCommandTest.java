package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.agent.AgentConfig;
import io.berth.agent.docker.RegistryAuth;
import io.berth.control.iam.AccessKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.berth.server.tls.ServerTls;
import io.berth.server.tls.TlsConfig;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentCommandTest {

    private static final String AUTH_JSON = "{\"127.0.0.1:5000\": {\"username\": \"builder\", \"password\": \"pw\"}}";

    private static final AccessKey KEY = new AccessKey("AKIAEXAMPLE", "secret", "123456789012",
            "arn:aws:iam::123456789012:root", AccessKey.ACTIVE, java.time.Instant.EPOCH);

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

    @Test
    void aHostGivenToFargateJoinsThePoolAndNamesNoCluster() {
        CommandLine line = new CommandLine(new AgentCommand());
        AgentConfig fargate = AgentCommand.localFargateAgent("http://127.0.0.1:8773", "us-east-1", KEY,
                dir.resolve("agent-fargate"), null);

        int refused = line.execute("--endpoint", "http://cloud:8773", "--fargate", "--cluster", "prod");

        assertThat(refused).isEqualTo(2);
        assertThat(fargate.cluster()).isEqualTo("berth.fargate");
        assertThat(fargate.metadataAddress()).as("the first agent's endpoint serves its tasks").isNull();
    }

    @Test
    void theTaskCredentialsEndpointIsOffUnlessAsked() {
        AgentCommand command = new AgentCommand();
        new CommandLine(command).parseArgs("--endpoint", "http://cloud:8773");
        AgentCommand asked = new AgentCommand();
        new CommandLine(asked).parseArgs("--endpoint", "http://cloud:8773", "--task-credentials-endpoint");

        assertThat(command.taskCredentialsEndpoint).isFalse();
        assertThat(asked.taskCredentialsEndpoint).isTrue();
    }

    @Test
    void theAllInOneAgentLeavesTheHostNetworkAloneWhenTold() {
        AgentConfig config = AgentCommand.localAgent("http://127.0.0.1:8773", "us-east-1", KEY, dir, null, false);

        assertThat(config.metadataAddress()).isNull();
        assertThat(config.metadataBaseUri()).isNull();
    }

    @Test
    void theAllInOneAgentServesTaskCredentialsAtTheEcsAddressWhenRootAndTheAddressIsFree() {
        boolean possible = "root".equals(System.getProperty("user.name")) && free(AgentConfig.ECS_METADATA_ADDRESS);

        AgentConfig config = AgentCommand.localAgent("http://127.0.0.1:8773", "us-east-1", KEY, dir, null, true);

        if (possible) {
            assertThat(config.metadataAddress()).isEqualTo(AgentConfig.ECS_METADATA_ADDRESS);
            assertThat(config.metadataBaseUri()).isEqualTo("http://169.254.170.2");
        } else {
            assertThat(config.metadataAddress()).isNull();
        }
    }

    @Test
    void aCaBundleIsTrustedBesidesTheJvmsTrustStore() throws Exception {
        ServerTls.connector(new Server(), new HttpConfiguration(), TlsConfig.selfSigned(), dir, List.of());
        Path caPem = dir.resolve(TlsConfig.CA_FILE);

        AgentConfig trusting = agentConfig("--endpoint", "https://cloud:8773", "--ca-bundle", caPem.toString());
        AgentConfig plain = agentConfig("--endpoint", "https://cloud:8773");

        assertThat(trusting.serverTrust().caBundle()).isEqualTo(caPem);
        assertThat(plain.serverTrust().caBundle()).isNull();
    }

    @Test
    void aCaBundleWithoutCertificatesIsRefused() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");

        assertThatThrownBy(() -> agentConfig("--endpoint", "https://cloud:8773", "--ca-bundle", empty.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(empty.toString());
    }

    private AgentConfig agentConfig(String... args) throws Exception {
        AgentCommand command = new AgentCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }

    private static boolean free(java.net.InetSocketAddress address) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(address);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
