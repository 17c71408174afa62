package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    private static ServerConfig parse(String... args) {
        Berth.ServerCommand command = new Berth.ServerCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }
}
