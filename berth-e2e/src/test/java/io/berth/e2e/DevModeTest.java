package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;

class DevModeTest {

    @TempDir
    static Path dataDir;
    static RunningBerth berth;

    @BeforeAll
    static void start() {
        berth = RunningBerth.startDev(dataDir);
    }

    @AfterAll
    static void stop() {
        berth.close();
    }

    @Test
    void anyKeyIsAcceptedAndResetWipesEveryRegion() {
        try (EcsClient anyone = berth.ecs("us-east-1", "AKIAANYTHINGATALL000", "whatever");
                EcsClient west = berth.ecs("us-west-2", "AKIASOMEONEELSE00000", "other")) {
            anyone.createCluster(r -> r.clusterName("dev-east"));
            west.createCluster(r -> r.clusterName("dev-west"));
            assertThat(anyone.listClusters().clusterArns()).hasSize(1);

            SignedHttp.Answer reset = new SignedHttp(berth.endpoint())
                    .send(new SignedHttp.Call("POST", "/_berth/reset", Map.of(), new byte[0]));

            assertThat(reset.status()).isEqualTo(200);
            assertThat(reset.json().get("removed").asInt()).isEqualTo(2);
            assertThat(anyone.listClusters().clusterArns()).isEmpty();
            assertThat(west.listClusters().clusterArns()).isEmpty();
        }
    }
}
