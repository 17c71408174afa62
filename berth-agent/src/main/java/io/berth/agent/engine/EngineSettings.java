package io.berth.agent.engine;

import java.time.Duration;

/**
 * How the task engine behaves. {@code cluster} is the configured cluster string, sent in reports and set as a
 * container label; {@code metadataBaseUri}, when set (e.g. {@code http://169.254.170.2}), makes the engine inject
 * the task metadata variables into every container; {@code taskCleanupWait} is how long stopped tasks and their
 * containers stay on the host after STOPPED has been reported.
 */
public record EngineSettings(
        String cluster,
        ImagePullBehavior imagePullBehavior,
        Duration taskCleanupWait,
        Duration pollInterval,
        Duration defaultStopTimeout,
        String metadataBaseUri) {

    public static EngineSettings defaults(String cluster) {
        return new EngineSettings(cluster, ImagePullBehavior.DEFAULT, Duration.ofHours(3), Duration.ofMillis(500),
                Duration.ofSeconds(30), null);
    }

    public EngineSettings withImagePullBehavior(ImagePullBehavior behavior) {
        return new EngineSettings(cluster, behavior, taskCleanupWait, pollInterval, defaultStopTimeout, metadataBaseUri);
    }

    public EngineSettings withTaskCleanupWait(Duration wait) {
        return new EngineSettings(cluster, imagePullBehavior, wait, pollInterval, defaultStopTimeout, metadataBaseUri);
    }

    public EngineSettings withPollInterval(Duration interval) {
        return new EngineSettings(cluster, imagePullBehavior, taskCleanupWait, interval, defaultStopTimeout, metadataBaseUri);
    }

    public EngineSettings withMetadataBaseUri(String uri) {
        return new EngineSettings(cluster, imagePullBehavior, taskCleanupWait, pollInterval, defaultStopTimeout, uri);
    }
}
