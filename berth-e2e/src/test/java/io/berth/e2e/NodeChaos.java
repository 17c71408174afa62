package io.berth.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The faults of a fault scenario, one node at a time until a deadline: every few seconds either a kill -9 of a node
 * picked at random, then starting it again, or a SIGSTOP of one for up to two and a half lease TTLs, then SIGCONT.
 * Each fault, and each failure to start a node again, goes to the ledger.
 */
final class NodeChaos implements Runnable {

    private final NodeSet nodes;
    private final FaultLedger ledger;
    private final Instant until;

    NodeChaos(NodeSet nodes, FaultLedger ledger, Instant until) {
        this.nodes = nodes;
        this.ledger = ledger;
        this.until = until;
    }

    @Override
    public void run() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (Instant.now().isBefore(until)) {
            BerthProcess.sleep(Duration.ofMillis(random.nextLong(2_000, 4_000)));
            Node node = nodes.all().get(random.nextInt(nodes.all().size()));
            if (random.nextBoolean()) {
                ledger.fault("kill -9 " + node);
                nodes.kill(node);
                BerthProcess.sleep(Duration.ofMillis(random.nextLong(500, 2_000)));
                startAgain(node);
            } else {
                long frozenMillis = (long) (nodes.leaseTtl().toMillis() * random.nextDouble(0.5, 2.5));
                ledger.fault("SIGSTOP " + node + " for " + frozenMillis + " ms");
                nodes.pause(node);
                BerthProcess.sleep(Duration.ofMillis(frozenMillis));
                nodes.resume(node);
            }
        }
    }

    private void startAgain(Node node) {
        try {
            nodes.start(node);
            ledger.fault("started " + node + " again");
        } catch (RuntimeException e) {
            ledger.fault("could not start " + node + " again: " + e.getMessage());
        }
    }
}
