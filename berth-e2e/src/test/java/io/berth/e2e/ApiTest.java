package io.berth.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * A test class that talks to one real server, started for the class on a free port with its data in
 * a temporary directory, through an SDK client signed with the server's first key.
 */
abstract class ApiTest {

    @TempDir
    static Path dataDir;
    static RunningBerth berth;
    static EcsClient ecs;

    @BeforeAll
    static void startBerth() {
        berth = RunningBerth.start(dataDir);
        ecs = berth.ecs();
    }

    @AfterAll
    static void stopBerth() {
        ecs.close();
        berth.close();
    }
}
