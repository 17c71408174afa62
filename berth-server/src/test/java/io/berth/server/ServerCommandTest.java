package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.server.tls.TlsConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerCommandTest {

    @Test
    void theStateIsInSqliteInTheDataDirectoryByDefault() {
        ServerConfig config = parse("--data-dir", "/var/lib/berth");

        assertThat(config.store()).isEqualTo(StoreConfig.sqlite());
        assertThat(config.store().describe(config.dataDir())).isEqualTo("SQLite /var/lib/berth/berth.db");
    }

    @Test
    void storePostgresSelectsThePostgresStoreWithItsUrlAndCredentials() {
        ServerConfig config = parse("--store", "postgres", "--jdbc-url", "jdbc:postgresql://db:5432/berth",
                "--db-user", "berth", "--db-password", "s3cret");

        assertThat(config.store()).isEqualTo(StoreConfig.postgres("jdbc:postgresql://db:5432/berth", "berth", "s3cret"));
        assertThat(config.store().toString()).doesNotContain("s3cret");
    }

    @Test
    void storePostgresWithoutAUrlIsRefused() {
        assertThatThrownBy(() -> parse("--store", "postgres"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--store postgres needs --jdbc-url");
    }

    @Test
    void aUrlWithoutStorePostgresIsRefused() {
        assertThatThrownBy(() -> parse("--jdbc-url", "jdbc:postgresql://db/berth"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--jdbc-url needs --store postgres");
    }

    @Test
    void anUnknownStoreIsRefused() {
        assertThatThrownBy(() -> parse("--store", "mysql"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("Unknown store 'mysql'");
    }

    @Test
    void awsvpcSubnetsComeFromTheTaskNetworkRangeOrItsPrivateDefault() {
        assertThat(parse().taskNetworkRange()).hasToString("10.200.0.0/16");
        assertThat(parse("--task-network-range", "172.30.0.0/20").taskNetworkRange()).hasToString("172.30.0.0/20");
    }

    @Test
    void aTaskNetworkRangeThatIsNoBlockOrHoldsNoSubnetIsRefused() {
        assertThatThrownBy(() -> parse("--task-network-range", "10.200.0.1/16"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith("--task-network-range: ");
        assertThatThrownBy(() -> parse("--task-network-range", "fe80::/64"))
                .isInstanceOf(CommandLine.ParameterException.class);
        assertThatThrownBy(() -> parse("--task-network-range", "10.200.0.0/25"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--task-network-range must hold at least one /24");
    }

    @Test
    void theServerSpeaksHttpsWithASelfSignedCertificateByDefault() {
        ServerConfig config = parse("--data-dir", "/var/lib/berth");

        assertThat(config.tls()).isEqualTo(TlsConfig.selfSigned());
        assertThat(config.endpoint(8773)).isEqualTo("https://127.0.0.1:8773");
        assertThat(config.trustedCertificates()).isEqualTo(Path.of("/var/lib/berth/ca.pem"));
    }

    @Test
    void anEndpointOnItsSchemesDefaultPortNamesNoPortForTheOfficialAgentsTlsServerName() {
        assertThat(parse().endpoint(443)).isEqualTo("https://127.0.0.1");
        assertThat(parse("--http").endpoint(80)).isEqualTo("http://127.0.0.1");
        assertThat(parse("--http").endpoint(443)).isEqualTo("http://127.0.0.1:443");
    }

    @Test
    void httpOptsOutOfTls() {
        ServerConfig config = parse("--http");

        assertThat(config.tls()).isEqualTo(TlsConfig.none());
        assertThat(config.endpoint(8773)).isEqualTo("http://127.0.0.1:8773");
        assertThat(config.trustedCertificates()).isNull();
    }

    @Test
    void anOperatorsCertificateAndKeyAreServedAndTrustedThroughTheirChain() {
        ServerConfig config = parse("--tls-cert", "/etc/berth/tls.pem", "--tls-key", "/etc/berth/tls.key");

        assertThat(config.tls()).isEqualTo(TlsConfig.operator(Path.of("/etc/berth/tls.pem"),
                Path.of("/etc/berth/tls.key")));
        assertThat(config.trustedCertificates()).isEqualTo(Path.of("/etc/berth/tls.pem"));
    }

    @Test
    void aCertificateWithoutItsKeyOrWithHttpIsRefused() {
        assertThatThrownBy(() -> parse("--tls-cert", "/etc/berth/tls.pem"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--tls-cert and --tls-key go together");
        assertThatThrownBy(() -> parse("--http", "--tls-cert", "a.pem", "--tls-key", "a.key"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--http excludes --tls-cert and --tls-key");
    }

    @Test
    void theCertificateNamesTheListenAddressAndTheHostsOfTheEndpointsGivenOut() {
        ServerConfig config = parse("--host", "10.0.0.5", "--public-endpoint", "https://berth.example.com:8773",
                "--poll-endpoint", "https://[2001:db8::5]:8773");

        assertThat(config.certificateNames()).containsExactly("10.0.0.5", "berth.example.com", "[2001:db8::5]");
        assertThat(parse().certificateNames()).isEmpty();
    }

    @Test
    void theLibrarysConfigurationsSpeakPlainHttp() {
        ServerConfig config = new ServerConfig("127.0.0.1", 0, Path.of("data"), "us-east-1", null, "aws", false, null);

        assertThat(config.tls()).isEqualTo(TlsConfig.none());
        assertThat(config.endpoint(1234)).isEqualTo("http://127.0.0.1:1234");
    }

    private static ServerConfig parse(String... args) {
        Berth.ServerCommand command = new Berth.ServerCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }
}
