package io.berth.server.acs;

import java.util.ArrayDeque;
import java.util.Queue;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends text frames on one websocket one at a time, in order: Jetty refuses overlapping writes. */
final class Outbox {

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final Session session;
    private final Queue<String> pending = new ArrayDeque<>();
    private boolean writing;

    Outbox(Session session) {
        this.session = session;
    }

    void send(String frame) {
        synchronized (this) {
            if (writing) {
                pending.add(frame);
                return;
            }
            writing = true;
        }
        write(frame);
    }

    private void write(String frame) {
        session.sendText(frame, new Callback() {
            @Override
            public void succeed() {
                next();
            }

            @Override
            public void fail(Throwable failure) {
                log.debug("Websocket write failed: {}", failure.toString());
                synchronized (Outbox.this) {
                    pending.clear();
                    writing = false;
                }
            }
        });
    }

    private void next() {
        String frame;
        synchronized (this) {
            frame = pending.poll();
            if (frame == null) {
                writing = false;
                return;
            }
        }
        write(frame);
    }

    /** Ends the session with a close frame: status 1001, going away. */
    void goAway(String reason) {
        session.close(1001, reason, org.eclipse.jetty.websocket.api.Callback.NOOP);
    }
}
