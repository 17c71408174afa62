package io.berth.agent.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A followed container log, read straight off the Engine API's {@code /containers/{id}/logs}: without a TTY the
 * answer is multiplexed, an 8-byte header (stream, 0, 0, 0, big-endian size) before each message, and each message is
 * delivered whole (docker-java's own reader cuts messages into pieces of at most 1 KiB, losing where they end); with
 * a TTY it is the raw output, delivered as read.
 */
final class ContainerLogStream implements Closeable {

    private static final int HEADER_BYTES = 8;

    private final DockerHttpClient.Response response;
    private volatile boolean closed;

    private ContainerLogStream(DockerHttpClient.Response response) {
        this.response = response;
    }

    static ContainerLogStream follow(DockerHttpClient http, String id, long since, LogFrames frames) {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET)
                .path("/containers/" + id + "/logs?follow=1&stdout=1&stderr=1&timestamps=1"
                        + (since > 0 ? "&since=" + since : ""))
                .build();
        DockerHttpClient.Response response = http.execute(request);
        if (response.getStatusCode() != 200) {
            String message;
            try (response; InputStream body = response.getBody()) {
                message = new String(body.readNBytes(4096), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                message = e.getMessage();
            }
            throw new RuntimeFailure("Cannot follow the log of container " + id + " (" + response.getStatusCode()
                    + "): " + message);
        }
        ContainerLogStream stream = new ContainerLogStream(response);
        Thread.ofVirtual().name("docker-log-" + id.substring(0, Math.min(12, id.length())))
                .start(() -> stream.read(frames));
        return stream;
    }

    private void read(LogFrames frames) {
        Throwable failure = null;
        try (InputStream body = new BufferedInputStream(response.getBody(), 64 * 1024)) {
            byte[] header = body.readNBytes(HEADER_BYTES);
            if (header.length == HEADER_BYTES && header[0] <= 2 && header[1] == 0 && header[2] == 0
                    && header[3] == 0) {
                readMultiplexed(body, header, frames);
            } else {
                readRaw(body, header, frames);
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            response.close();
        }
        frames.end(closed ? null : failure);
    }

    private static void readMultiplexed(InputStream body, byte[] header, LogFrames frames) throws IOException {
        while (header.length == HEADER_BYTES) {
            int size = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                    | (header[7] & 0xff);
            byte[] payload = body.readNBytes(size);
            if (payload.length < size) {
                throw new IOException("The log ended inside a message");
            }
            frames.frame(payload, false);
            header = body.readNBytes(HEADER_BYTES);
        }
        if (header.length > 0) {
            throw new IOException("The log ended inside a message header");
        }
    }

    private static void readRaw(InputStream body, byte[] start, LogFrames frames) throws IOException {
        if (start.length > 0) {
            frames.frame(start, true);
        }
        byte[] buffer = new byte[16 * 1024];
        for (int read = body.read(buffer); read >= 0; read = body.read(buffer)) {
            if (read > 0) {
                frames.frame(Arrays.copyOf(buffer, read), true);
            }
        }
    }

    /** Stops following; the reader ends without an error. */
    @Override
    public void close() {
        closed = true;
        response.close();
    }
}
