package io.berth.agent;

import io.berth.agent.docker.DockerRuntime;
import io.berth.agent.engine.EcsLabels;
import io.berth.agent.engine.EngineSettings;
import io.berth.agent.engine.ImagePullBehavior;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Docker Engine running here, for the tests of one class (skipped where it is not reachable):
 * afterwards every container and volume labelled with the class's {@code key=value} is removed.
 */
public final class TestDocker implements BeforeAllCallback, AfterAllCallback {

    private final String key;
    private final String value;
    private DockerRuntime runtime;

    private TestDocker(String key, String value) {
        this.key = key;
        this.value = value;
    }

    /** For tests whose containers carry the label {@code key=value}. */
    public static TestDocker labelled(String key, String value) {
        return new TestDocker(key, value);
    }

    /** For tests of an engine whose tasks run in a cluster of its own, named {@code <prefix>-<random>}. */
    public static TestDocker forCluster(String prefix) {
        return new TestDocker(EcsLabels.CLUSTER, prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** The cluster that {@link #forCluster} named. */
    public String cluster() {
        return value;
    }

    public DockerRuntime runtime() {
        return runtime;
    }

    /** An engine's settings for this cluster that use the test image as it is and notice changes quickly. */
    public EngineSettings engineSettings() {
        return EngineSettings.defaults(cluster()).withImagePullBehavior(ImagePullBehavior.PREFER_CACHED)
                .withPollInterval(Duration.ofMillis(200));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        runtime = TestImages.dockerOrSkip();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (runtime != null) {
            TestImages.removeLabelled(runtime, key, value);
            runtime.close();
        }
    }
}
