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

    private static ServerConfig parse(String... args) {
        Berth.ServerCommand command = new Berth.ServerCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }
}
