package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.Tag;

/** {@code berth server --store postgres} keeps its state, access keys included, in PostgreSQL. */
class PostgresServerTest {

    private static EmbeddedPostgres postgres;

    @TempDir
    Path dir;

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @BeforeAll
    static void startPostgres() {
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException | RuntimeException e) {
            String reason = "PostgreSQL server tests skipped: the embedded server did not start: " + e;
            System.out.println(reason);
            Assumptions.abort(reason);
        }
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void clustersSurviveASigkillOfAServerOnPostgres() throws SQLException {
        Path data = dir.resolve("data");
        BerthProcess berth = start(data);
        Cluster created;
        try (EcsClient ecs = BerthProcess.client(data, berth.port())) {
            created = ecs.createCluster(r -> r.clusterName("on-postgres")
                    .tags(Tag.builder().key("store").value("postgres").build())).cluster();
            berth.kill();
        }

        BerthProcess restarted = start(data);
        try (EcsClient ecs = BerthProcess.client(data, restarted.port())) {
            Cluster described = ecs.describeClusters(r -> r.clusters("on-postgres").include(ClusterField.TAGS))
                    .clusters().get(0);
            assertThat(described.clusterArn()).isEqualTo(created.clusterArn());
            assertThat(described.tags()).isEqualTo(created.tags());
        }
        assertThat(storedIds("cluster")).containsExactly("on-postgres");
        assertThat(storedIds("access-key")).hasSize(1);
        assertThat(Files.exists(data.resolve("berth.db"))).as("no SQLite file beside the credentials").isFalse();
    }

    @Test
    void theMasterKeyOfAPostgresStoreRotatesOnlyOnceNoNodeUsesItAndEveryKeyOpensAfterwards() throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE rotation");
        }
        String jdbcUrl = postgres.getJdbcUrl("postgres", "rotation");
        Path data = dir.resolve("data");
        Path keyFile = data.resolve("master.key");
        BerthProcess berth = servers.start(data, "--store", "postgres", "--jdbc-url", jdbcUrl, "--db-user", "postgres");
        String[] rotate = {"master-key", "rotate", "--data-dir", dir.resolve("operator").toString(), "--master-key-file",
                keyFile.toString(), "--store", "postgres", "--jdbc-url", jdbcUrl, "--db-user", "postgres"};

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("node-id"))))
                .isEqualTo("rw-------");

        Commands.Result refused = BerthProcess.runCommand(Duration.ofMinutes(2), rotate);

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains("nodes still use this store", "stop every one first");
        berth.kill();
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).until(() ->
                BerthProcess.runCommand(Duration.ofMinutes(2), rotate).exitCode() == 0);
        BerthProcess restarted = servers.start(data, "--store", "postgres", "--jdbc-url", jdbcUrl, "--db-user",
                "postgres");
        try (EcsClient ecs = BerthProcess.client(data, restarted.port())) {
            assertThat(ecs.listClusters().clusterArns()).isEmpty();
        }
    }

    private BerthProcess start(Path data) {
        return servers.start(data, "--store", "postgres",
                "--jdbc-url", postgres.getJdbcUrl("postgres", "postgres"), "--db-user", "postgres");
    }

    private static List<String> storedIds(String kind) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT id FROM documents WHERE kind = '" + kind + "' ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
