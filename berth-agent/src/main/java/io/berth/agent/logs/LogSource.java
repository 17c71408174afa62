package io.berth.agent.logs;

import io.berth.agent.docker.DockerRuntime;
import io.berth.agent.docker.LogFrames;
import java.io.Closeable;

/** Where container logs are read: the Docker Engine, or a test's script. */
interface LogSource {

    /** Follows a container's log, with timestamps, from epoch second {@code since} (0: the beginning). */
    Closeable follow(String containerId, long since, LogFrames frames);

    /** Whether the container may still write to its log. */
    enum Writer {
        /** Created, running or restarting. */
        MAY_WRITE,
        /** Stopped: its log is complete. */
        EXITED,
        /** Removed, and its log with it. */
        GONE
    }

    Writer writer(String containerId);

    static LogSource of(DockerRuntime docker) {
        return new LogSource() {
            @Override
            public Closeable follow(String containerId, long since, LogFrames frames) {
                return docker.followLogs(containerId, since, frames);
            }

            @Override
            public Writer writer(String containerId) {
                return docker.inspect(containerId).map(state -> state.exited() ? Writer.EXITED : Writer.MAY_WRITE)
                        .orElse(Writer.GONE);
            }
        };
    }
}
