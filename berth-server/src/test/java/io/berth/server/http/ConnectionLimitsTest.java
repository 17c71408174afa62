package io.berth.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How long a connection may take to send a request head, and stay idle, before the server closes it. */
class ConnectionLimitsTest {

    private static final Duration HEAD_DEADLINE = Duration.ofSeconds(1);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    /** Far beyond both limits, and far below Jetty's own defaults. */
    private static final int GIVE_UP_MILLIS = 12_000;

    private Server server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        connector.setHost("127.0.0.1");
        new ConnectionLimits(HEAD_DEADLINE, IDLE_TIMEOUT, Duration.ofMillis(100)).apply(connector);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void aRequestHeadDribbledLineByLineIsCutOffAtTheDeadline() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(200);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            boolean closed = false;
            // A line every 200 ms keeps the connection far from idle; only the head's deadline can end it.
            for (int line = 0; line < GIVE_UP_MILLIS / 200 && !closed; line++) {
                try {
                    out.write(("X-Slow-" + line + ": still coming\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    closed = closedByServer(socket.getInputStream());
                } catch (IOException reset) {
                    closed = true;
                }
            }

            assertThat(closed).as("the server closed the dribbling connection").isTrue();
        }
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(GIVE_UP_MILLIS);

            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void requestsSentPromptlyAreAnsweredOnOneConnectionBeyondTheDeadline() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(GIVE_UP_MILLIS);
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 3; i++) {
                out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(readAnswer(socket.getInputStream())).startsWith("HTTP/1.1 200");
                Thread.sleep(HEAD_DEADLINE.toMillis() * 3 / 4);
            }
        }
    }

    private static boolean closedByServer(InputStream in) throws IOException {
        try {
            in.read();
            // An end of stream, or an error answer before the head was even complete.
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        }
    }

    /** One answer with a body of "ok": its head, then the two bytes. */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        while (!text.toString().endsWith("\r\n\r\nok")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            text.append((char) b);
        }
        return text.toString();
    }
}
