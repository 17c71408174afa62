package io.berth.server.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a connection may cost the server before it is closed: a whole request head must arrive within
 * {@link #REQUEST_HEAD_DEADLINE} of its first byte (a client that sends a header line every few seconds is never
 * idle, yet never done), and a connection with nothing to do is closed after {@link #IDLE_TIMEOUT}.
 */
public final class ConnectionLimits {

    static final Duration REQUEST_HEAD_DEADLINE = Duration.ofSeconds(30);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimits.class);

    private final Duration headDeadline;
    private final Duration idleTimeout;
    private final Duration sweepInterval;

    public ConnectionLimits() {
        this(REQUEST_HEAD_DEADLINE, IDLE_TIMEOUT, SWEEP_INTERVAL);
    }

    /** @param sweepInterval how often open connections are checked against the deadline */
    ConnectionLimits(Duration headDeadline, Duration idleTimeout, Duration sweepInterval) {
        this.headDeadline = headDeadline;
        this.idleTimeout = idleTimeout;
        this.sweepInterval = sweepInterval;
    }

    /** Sets the limits on a connector before it starts, whatever protocols it serves (HTTP/1.1, over TLS or not). */
    public void apply(ServerConnector connector) {
        connector.setIdleTimeout(idleTimeout.toMillis());
        HeadDeadlines deadlines = new HeadDeadlines(connector.getScheduler(), headDeadline.toNanos(),
                sweepInterval.toMillis());
        connector.addEventListener(deadlines);
        connector.addBean(deadlines, true);
    }

    /**
     * Watches the HTTP/1.1 connections of one connector and closes those whose request head has been arriving for
     * longer than the deadline. One periodic sweep checks them all, so that a connection costs no timer of its own.
     */
    private static final class HeadDeadlines extends AbstractLifeCycle implements Connection.Listener {

        /** When a connection's current head was first seen arriving, and which request of the connection it is. */
        private record Head(long firstSeenNanos, long requestsBefore) {
        }

        private static final Head NONE = new Head(0, -1);

        private final Map<HttpConnection, Head> connections = new ConcurrentHashMap<>();
        private final Scheduler scheduler;
        private final long deadlineNanos;
        private final long sweepMillis;

        HeadDeadlines(Scheduler scheduler, long deadlineNanos, long sweepMillis) {
            this.scheduler = scheduler;
            this.deadlineNanos = deadlineNanos;
            this.sweepMillis = sweepMillis;
        }

        @Override
        public void onOpened(Connection connection) {
            if (connection instanceof HttpConnection http) {
                connections.put(http, NONE);
            }
        }

        @Override
        public void onClosed(Connection connection) {
            connections.remove(connection);
        }

        @Override
        protected void doStart() {
            scheduleSweep();
        }

        private void scheduleSweep() {
            if (isRunning() || isStarting()) {
                scheduler.schedule(this::sweep, sweepMillis, TimeUnit.MILLISECONDS);
            }
        }

        private void sweep() {
            try {
                long now = System.nanoTime();
                connections.replaceAll((connection, head) -> check(connection, head, now));
            } finally {
                scheduleSweep();
            }
        }

        private Head check(HttpConnection connection, Head head, long now) {
            HttpParser parser = connection.getParser();
            // Between requests the parser waits at its start; once the head is complete it reads content.
            if (parser.isStart() || !parser.inHeaderState()) {
                return NONE;
            }
            long requests = connection.getMessagesIn();
            if (head.requestsBefore() != requests) {
                return new Head(now, requests);
            }
            if (now - head.firstSeenNanos() > deadlineNanos) {
                log.info("Closing the connection from {}: its request head took longer than {} s",
                        connection.getEndPoint().getRemoteSocketAddress(), TimeUnit.NANOSECONDS.toSeconds(deadlineNanos));
                connection.getEndPoint().close();
                return NONE;
            }
            return head;
        }
    }
}
