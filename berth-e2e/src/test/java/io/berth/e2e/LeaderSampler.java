package io.berth.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Asks every running node, round after round until closed, whether it accepts an agent's websocket upgrade: what
 * only the leader does. Each round's answer is the set of nodes acting as leader at that moment.
 */
final class LeaderSampler implements AutoCloseable {

    private static final Duration BETWEEN_ROUNDS = Duration.ofMillis(200);

    private final List<Set<Node>> rounds = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    private LeaderSampler() {
    }

    /** Starts sampling, opening ACS sockets with the query given (an instance registered for the purpose). */
    static LeaderSampler start(NodeSet nodes, Map<String, String> acsQuery) {
        LeaderSampler sampler = new LeaderSampler();
        sampler.thread.submit(() -> sampler.sample(nodes, acsQuery));
        return sampler;
    }

    private void sample(NodeSet nodes, Map<String, String> acsQuery) {
        while (!stopped.get()) {
            rounds.add(nodes.all().stream().filter(nodes::isRunning)
                    .filter(node -> nodes.acceptsAgents(node, acsQuery)).collect(Collectors.toUnmodifiableSet()));
            try {
                Thread.sleep(BETWEEN_ROUNDS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The rounds so far, each the nodes that accepted an agent in it. */
    List<Set<Node>> rounds() {
        return List.copyOf(rounds);
    }

    /** The rounds in which more than one node accepted agents. */
    List<Set<Node>> roundsWithSeveralLeaders() {
        return rounds.stream().filter(round -> round.size() > 1).toList();
    }

    @Override
    public void close() {
        stopped.set(true);
        thread.close();
    }
}
