package io.berth.server.node;

import io.berth.control.store.Store;
import io.berth.server.http.ForwardedOrigin;
import io.berth.store.LeaderLease;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node among several on a PostgreSQL store. Following, it forwards every request to the leader named by the
 * lease and tries to take the lease whenever it is free or has run out. Leading, it renews the lease well within
 * its TTL, and steps down (closing everything it ran as leader) as soon as a renewal finds another holder, a commit
 * was fenced, or it could not renew for longer than the TTL: by then another node may lead.
 */
public final class Leadership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    /** What a node runs while it leads: built when it takes the lease, closed when it loses it. */
    public interface Leading extends AutoCloseable {

        /** Answers every request, agents' websockets included. */
        Handler handler();

        /** The highest agent message sequence number sent, for the next leader to stay above. */
        long acsSequence();

        @Override
        void close();
    }

    /** Builds a term's services over the store as the term's leader may write it, loading the state from it. */
    @FunctionalInterface
    public interface Takeover {
        Leading lead(Store fencedStore, LeaderLease.Term term);
    }

    /** How often a follower reads the lease at most. */
    private static final Duration FOLLOWER_TICK = Duration.ofMillis(500);

    private final LeaderLease lease;
    private final Takeover takeover;
    private final LeaderProxy proxy;
    private final NodeHandler node;
    private final Duration tick;
    private volatile LeaderLease.Term held;
    private volatile Leading leading;
    private volatile boolean fenced;
    private volatile boolean closed;
    private volatile long renewedAt;
    private volatile Thread loop;

    /** @param origins states to the leader where each request this node forwards came from */
    public Leadership(LeaderLease lease, Takeover takeover, ForwardedOrigin origins) {
        this(lease, takeover, origins, null);
    }

    /**
     * @param origins states to the leader where each request this node forwards came from
     * @param leaderTrust what the leader's certificate is checked against when it serves HTTPS; null for the JVM's
     *     trust store
     */
    public Leadership(LeaderLease lease, Takeover takeover, ForwardedOrigin origins, SSLContext leaderTrust) {
        this.proxy = new LeaderProxy(origins, leaderTrust);
        this.node = new NodeHandler(proxy);
        this.lease = lease;
        this.takeover = takeover;
        // Renewals come four times per TTL, so that one or two slow ones do not lose the lease.
        this.tick = Duration.ofMillis(Math.max(50, lease.ttl().toMillis() / 4));
    }

    /** The node's root handler, which follows what the node does. */
    public Handler handler() {
        return node;
    }

    /**
     * Takes the lease if it is free and builds the leader's services at once, so that a lone node answers as soon
     * as this returns; then keeps following or leading in the background.
     */
    public void start() {
        tryHeartbeat();
        loop = Thread.ofPlatform().name("berth-leadership").daemon(true).unstarted(this::run);
        if (!tryLead(false)) {
            follow();
        }
        startLoop();
    }

    private synchronized void startLoop() {
        if (loop.getState() == Thread.State.NEW) {
            loop.start();
        }
    }

    /** The services of this node's term, or null while it does not lead (or is still loading the state). */
    public Leading leading() {
        return leading;
    }

    /**
     * Whether this node can answer the API now: it leads with its state loaded, or it follows a leader it knows. A
     * node taking over (loading the state) or finding no leader cannot.
     */
    public boolean ready() {
        return leading != null || (held == null && proxy.leader() != null);
    }

    /** The lease and the nodes, as the database sees them. */
    public LeaderLease.Standing standing() {
        return lease.standing();
    }

    public String nodeId() {
        return lease.nodeId();
    }

    private void run() {
        while (!closed) {
            // A follower looks more often than a leader renews: it is what a takeover waits for.
            LockSupport.parkNanos(held == null ? Math.min(tick.toNanos(), FOLLOWER_TICK.toNanos()) : tick.toNanos());
            if (closed) {
                return;
            }
            try {
                step();
            } catch (RuntimeException e) {
                log.warn("Leadership step failed", e);
            }
        }
    }

    private void step() {
        tryHeartbeat();
        LeaderLease.Term term = held;
        if (term == null) {
            follow();
            return;
        }
        if (fenced) {
            stepDown(term, "a commit failed (another node took the lease, or the database refused it)");
            return;
        }
        long sinceRenewal = System.nanoTime() - renewedAt;
        if (sinceRenewal > lease.ttl().toNanos()) {
            // Paused past the lease: another node may lead by now, and this one's state may be stale.
            stepDown(term, "its lease ran out " + (sinceRenewal - lease.ttl().toNanos()) / 1_000_000
                    + " ms ago unrenewed (was the process paused?)");
            return;
        }
        try {
            Leading services = leading;
            if (lease.renew(term, services == null ? term.acsSequence() : services.acsSequence())) {
                renewedAt = System.nanoTime();
            } else {
                stepDown(term, "another node took the lease");
            }
        } catch (RuntimeException e) {
            long since = System.nanoTime() - renewedAt;
            // Stop before the lease can have run out by the database's clock: from then on another node may lead.
            if (since > lease.ttl().toNanos() - tick.toNanos()) {
                stepDown(term, "the lease could not be renewed for " + since / 1_000_000 + " ms: " + e.getMessage());
            } else {
                log.warn("Renewing the lease failed; retrying: {}", e.getMessage());
            }
        }
    }

    private void follow() {
        LeaderLease.Standing standing;
        try {
            standing = lease.standing();
        } catch (RuntimeException e) {
            log.warn("Cannot read the leader lease: {}", e.getMessage());
            return;
        }
        LeaderLease.Holder leader = standing.leader();
        if (leader == null || leader.nodeId().equals(lease.nodeId())) {
            if (tryLead(true)) {
                return;
            }
            proxy.leader(null);
        } else {
            URI endpoint = URI.create(leader.endpoint());
            if (!endpoint.equals(proxy.leader())) {
                log.info("Following the leader {} at {} (epoch {})", leader.nodeId(), endpoint, leader.epoch());
            }
            proxy.leader(endpoint);
        }
        node.serve(proxy, false);
    }

    /** Takes the lease if it can, and builds the leader's services in the background or, at start, right away. */
    private boolean tryLead(boolean inBackground) {
        LeaderLease.Term term;
        try {
            term = lease.tryAcquire().orElse(null);
        } catch (RuntimeException e) {
            log.warn("Cannot take the leader lease: {}", e.getMessage());
            return false;
        }
        if (term == null) {
            return false;
        }
        log.info("This node ({}) took the leader lease, epoch {}; loading the state", term.nodeId(), term.epoch());
        renewedAt = System.nanoTime();
        fenced = false;
        held = term;
        node.serve(new NodeHandler.Unavailable("This Berth node is taking over as leader; retry shortly."), false);
        if (inBackground) {
            Thread.ofPlatform().name("berth-takeover").daemon(true).start(() -> load(term));
        } else {
            // The loop renews the lease meanwhile: loading a large store may take longer than the TTL.
            startLoop();
            load(term);
        }
        return true;
    }

    private void load(LeaderLease.Term term) {
        long started = System.nanoTime();
        Leading services;
        try {
            Store fencedStore = new StepDownOnFailure(lease.fencedStore(term), this::commitFailed);
            services = takeover.lead(fencedStore, term);
        } catch (RuntimeException e) {
            log.error("Taking over as leader failed; giving the lease up", e);
            stepDown(term, "taking over failed");
            return;
        }
        synchronized (this) {
            if (held != term || closed) {
                services.close();
                return;
            }
            leading = services;
            try {
                node.serve(new FreshLeaseOnly(services.handler()), false);
            } catch (RuntimeException e) {
                log.error("Cannot answer as leader; giving the lease up", e);
                stepDown(term, "its handler did not start");
                return;
            }
        }
        log.info("This node leads (epoch {}); took over in {} ms", term.epoch(), (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The leader's handler, answering only while the lease was renewed recently enough that no other node can lead:
     * a leader paused past its lease (a stopped process, a long collection) answers 503 when it wakes until its loop
     * has renewed or stepped down, instead of serving what may be stale by now.
     */
    private final class FreshLeaseOnly extends Handler.Wrapper {

        FreshLeaseOnly(Handler leader) {
            super(leader);
        }

        @Override
        public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                org.eclipse.jetty.util.Callback callback) throws Exception {
            if (System.nanoTime() - renewedAt > lease.ttl().toNanos() - tick.toNanos()) {
                LockSupport.unpark(loop);
                NodeHandler.refuse(response, callback, "This Berth node is confirming its leadership; retry shortly.");
                return true;
            }
            return super.handle(request, response, callback);
        }
    }

    /**
     * A commit failed, fenced or not: the term's state refuses writes from now on, so the node gives the lease up
     * and whichever node takes it next (this one too) loads the state afresh.
     */
    private void commitFailed() {
        fenced = true;
        LockSupport.unpark(loop);
    }

    private void stepDown(LeaderLease.Term term, String reason) {
        Leading services;
        synchronized (this) {
            if (held != term) {
                return;
            }
            held = null;
            services = leading;
            leading = null;
            proxy.leader(null);
            try {
                node.serve(proxy, true);
            } catch (RuntimeException e) {
                log.error("Cannot switch to following", e);
            }
        }
        log.warn("This node no longer leads (epoch {}): {}", term.epoch(), reason);
        if (services != null) {
            services.close();
        }
        try {
            lease.release(term, services == null ? term.acsSequence() : services.acsSequence());
        } catch (RuntimeException e) {
            log.debug("Cannot release the lease of epoch {}: {}", term.epoch(), e.getMessage());
        }
    }

    private void tryHeartbeat() {
        try {
            lease.heartbeat();
        } catch (RuntimeException e) {
            log.debug("Cannot record this node as alive: {}", e.getMessage());
        }
    }

    /** Stops leading or following; a lease held is given up, so that another node takes over at once. */
    @Override
    public void close() {
        closed = true;
        if (loop != null) {
            LockSupport.unpark(loop);
            try {
                loop.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LeaderLease.Term term = held;
        if (term != null) {
            stepDown(term, "the node stops");
        }
        try {
            lease.leave();
        } catch (RuntimeException e) {
            log.debug("Cannot remove this node from the nodes: {}", e.getMessage());
        }
    }
}
