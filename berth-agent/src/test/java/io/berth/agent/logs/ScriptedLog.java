package io.berth.agent.logs;

import io.berth.agent.docker.LogFrames;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A container log written by the test and followed as Docker follows one: from a second on, with timestamps, until
 * the container exits; the test can also break every stream being followed.
 */
final class ScriptedLog implements LogSource {

    private record Line(Instant time, String text) {
    }

    private final List<Line> lines = new ArrayList<>();
    private Writer writer = Writer.MAY_WRITE;
    private int breaks;
    private int follows;

    synchronized void write(String text) {
        lines.add(new Line(Instant.now(), text));
        notifyAll();
    }

    synchronized void exit() {
        writer = Writer.EXITED;
        notifyAll();
    }

    /** Ends every stream being followed with an error, as a Docker restart would. */
    synchronized void breakStreams() {
        breaks++;
        notifyAll();
    }

    synchronized int follows() {
        return follows;
    }

    @Override
    public synchronized Writer writer(String containerId) {
        return writer;
    }

    @Override
    public synchronized Closeable follow(String containerId, long since, LogFrames frames) {
        follows++;
        int breaksAtStart = breaks;
        boolean[] closed = new boolean[1];
        Thread reader = Thread.ofVirtual().start(() -> {
            int next = 0;
            while (true) {
                Line line;
                synchronized (this) {
                    while (!closed[0] && next >= lines.size() && writer == Writer.MAY_WRITE
                            && breaks == breaksAtStart) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (closed[0]) {
                        return;
                    }
                    if (breaks != breaksAtStart) {
                        frames.end(new IllegalStateException("stream broken"));
                        return;
                    }
                    if (next >= lines.size()) {
                        frames.end(null);
                        return;
                    }
                    line = lines.get(next++);
                }
                if (line.time().getEpochSecond() >= since) {
                    frames.frame((line.time() + " " + line.text() + "\n").getBytes(StandardCharsets.UTF_8), false);
                }
            }
        });
        return () -> {
            synchronized (ScriptedLog.this) {
                closed[0] = true;
                ScriptedLog.this.notifyAll();
            }
            reader.interrupt();
        };
    }
}
