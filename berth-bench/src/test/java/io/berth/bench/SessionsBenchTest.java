package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.iam.AccessKey;
import io.berth.server.BerthServer;
import io.berth.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick sessions benchmark keeps working: a few agents stay connected and the server's process is measured. */
class SessionsBenchTest {

    @TempDir
    Path dataDir;

    @Test
    void aFewAgentsStayConnectedAndTheServerProcessIsMeasured() throws Exception {
        try (BerthServer server = BerthServer.start(new ServerConfig("127.0.0.1", 0, dataDir, "us-east-1", null, "aws",
                false, null))) {
            AccessKey key = server.firstKey();
            SessionsBench.Result result = SessionsBench.run(new SessionsBench.Options(server.endpoint(), "us-east-1",
                    key.accessKeyId(), key.secretAccessKey(), 5, Duration.ofMillis(500), ProcessHandle.current().pid()));

            assertThat(result.instances()).isEqualTo(5);
            assertThat(result.connectedAtEnd()).isEqualTo(5);
            assertThat(result.reconnects()).isZero();
            assertThat(result.residentMiB()).isPositive();
            assertThat(result.holdCpuShare()).isNotNaN();
            assertThat(result.text()).contains("agents connected", "server resident memory", "per agent");
        }
    }
}
