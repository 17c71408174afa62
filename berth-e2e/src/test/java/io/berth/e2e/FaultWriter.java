package io.berth.e2e;

import io.berth.e2e.FaultLedger.Call;
import io.berth.e2e.FaultLedger.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;

/**
 * One writer of a fault scenario: until told to stop, registers a revision of a shared family, runs a task of one,
 * or stops a task it ran, each time through a node picked at random (running, frozen or dead), and records every
 * call in the ledger.
 */
final class FaultWriter implements Runnable {

    static final List<String> FAMILIES = List.of("fault-a", "fault-b", "fault-c", "fault-d");
    /** Four tasks of this size fit on an instance of {@link Instances#MEMORY} MiB. */
    static final int TASK_MEMORY = 900;

    private final int number;
    private final List<Node> nodes;
    private final Map<Node, EcsClient> clients;
    private final String cluster;
    private final FaultLedger ledger;
    private final BooleanSupplier stopped;
    private final List<String> running = new ArrayList<>();
    private int calls;

    FaultWriter(int number, List<Node> nodes, Map<Node, EcsClient> clients, String cluster, FaultLedger ledger,
            BooleanSupplier stopped) {
        this.number = number;
        this.nodes = nodes;
        this.clients = clients;
        this.cluster = cluster;
        this.ledger = ledger;
        this.stopped = stopped;
    }

    /** A registration of the family whose one container carries the marker in its environment. */
    static RegisterTaskDefinitionRequest registration(String family, String marker) {
        return RegisterTaskDefinitionRequest.builder().family(family).containerDefinitions(c -> c.name("app")
                .image("berth-test/busybox").memory(TASK_MEMORY)
                .environment(KeyValuePair.builder().name("MARKER").value(marker).build())).build();
    }

    @Override
    public void run() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stopped.getAsBoolean()) {
            Node node = nodes.get(random.nextInt(nodes.size()));
            String marker = "w" + number + "-" + (++calls);
            double dice = random.nextDouble();
            if (dice < 0.4 || (dice >= 0.75 && running.isEmpty())) {
                register(node, FAMILIES.get(random.nextInt(FAMILIES.size())), marker);
            } else if (dice < 0.75) {
                run(node, FAMILIES.get(random.nextInt(FAMILIES.size())), marker);
            } else {
                stop(node, running.remove(random.nextInt(running.size())), marker);
            }
            pause(Duration.ofMillis(random.nextInt(150, 400)));
        }
    }

    private void register(Node node, String family, String marker) {
        try {
            int revision = clients.get(node).registerTaskDefinition(registration(family, marker))
                    .taskDefinition().revision();
            ledger.record(new Call(Operation.REGISTER, node, marker, family, Outcome.ACKNOWLEDGED, revision, null,
                    null));
        } catch (RuntimeException e) {
            ledger.record(new Call(Operation.REGISTER, node, marker, family, Outcome.of(e), null, null, e.toString()));
        }
    }

    private void run(Node node, String family, String marker) {
        try {
            RunTaskResponse answer = clients.get(node).runTask(r -> r.cluster(cluster).taskDefinition(family)
                    .startedBy(marker));
            String taskArn = answer.tasks().isEmpty() ? null : answer.tasks().getFirst().taskArn();
            if (taskArn != null) {
                running.add(taskArn);
            }
            ledger.record(new Call(Operation.RUN, node, marker, family, Outcome.ACKNOWLEDGED, null, taskArn,
                    answer.failures().isEmpty() ? null : answer.failures().getFirst().reason()));
        } catch (RuntimeException e) {
            ledger.record(new Call(Operation.RUN, node, marker, family, Outcome.of(e), null, null, e.toString()));
        }
    }

    private void stop(Node node, String taskArn, String marker) {
        try {
            clients.get(node).stopTask(r -> r.cluster(cluster).task(taskArn).reason(marker));
            ledger.record(new Call(Operation.STOP, node, marker, null, Outcome.ACKNOWLEDGED, null, taskArn, null));
        } catch (RuntimeException e) {
            ledger.record(new Call(Operation.STOP, node, marker, null, Outcome.of(e), null, taskArn, e.toString()));
            running.add(taskArn);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
