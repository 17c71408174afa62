package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.e2e.FaultLedger.Call;
import io.berth.e2e.FaultLedger.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * Three nodes with a two-second lease while, every few seconds, one of them is killed with SIGKILL (and started
 * again) or frozen with SIGSTOP (and thawed), and 16 writers register, run and stop through nodes picked at random.
 * Afterwards every acknowledged write is there, every revision of a family was given once and no number is missing
 * but for calls whose outcome is unknown, a refused call wrote nothing, and no instance was ever oversubscribed.
 * The faults last {@code -Dberth.faults.seconds} (default 60; the suite's bound is five minutes in all, which
 * {@code bench/faults.sh} lifts with {@code -Dberth.faults.unbounded=true} for a longer run).
 */
class NodesFaultScenarioTest {

    @RegisterExtension
    static final PostgresNodes postgres = new PostgresNodes();

    private static final Duration LEASE_TTL = Duration.ofSeconds(2);
    private static final Duration WRITER_CALL_TIMEOUT = Duration.ofSeconds(8);
    private static final String CLUSTER = "faults";
    private static final int WRITERS = 16;
    private static final int INSTANCES = 3;

    @Test
    void writesThroughKilledAndFrozenNodesKeepEveryAcknowledgedWriteAndNeverOversubscribe() throws Exception {
        long bound = Boolean.getBoolean("berth.faults.unbounded") ? Long.MAX_VALUE : 240;
        Duration faultsFor = Duration.ofSeconds(Math.min(bound, Long.getLong("berth.faults.seconds", 60)));
        NodeSet nodes = postgres.start(3, LEASE_TTL);
        Node first = nodes.leader();
        EcsClient setup = nodes.ecs(first);
        setup.createCluster(r -> r.clusterName(CLUSTER));
        List<String> instances = IntStream.range(0, INSTANCES)
                .mapToObj(i -> Instances.register(setup, CLUSTER).containerInstanceArn()).toList();
        FaultLedger ledger = new FaultLedger();
        for (String family : FaultWriter.FAMILIES) {
            String marker = "setup-" + family;
            int revision = setup.registerTaskDefinition(FaultWriter.registration(family, marker)).taskDefinition()
                    .revision();
            ledger.record(new Call(Operation.REGISTER, first, marker, family, Outcome.ACKNOWLEDGED, revision, null,
                    null));
        }
        Map<Node, EcsClient> writerClients = new HashMap<>();
        Map<Node, EcsClient> samplerClients = new HashMap<>();
        nodes.all().forEach(node -> {
            writerClients.put(node, nodes.ecs(node, WRITER_CALL_TIMEOUT));
            samplerClients.put(node, nodes.ecs(node, Duration.ofSeconds(5)));
        });

        AtomicBoolean stopped = new AtomicBoolean();
        Instant began = Instant.now();
        try (CapacitySampler sampler = CapacitySampler.start(nodes, samplerClients, CLUSTER, instances,
                FaultWriter.TASK_MEMORY)) {
            try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int writer = 1; writer <= WRITERS; writer++) {
                    writers.submit(new FaultWriter(writer, nodes.all(), writerClients, CLUSTER, ledger, stopped::get));
                }
                new NodeChaos(nodes, ledger, began.plus(faultsFor)).run();
                stopped.set(true);
            }
            nodes.healAll();
            sampler.close();
            System.out.printf("Fault scenario: %d s of faults, %d faults %s; calls %s; %d capacity samples "
                    + "(%d unanswered)%n", Duration.between(began, Instant.now()).toSeconds(),
                    ledger.faults().size(), ledger.faults().stream().map(FaultLedger.Fault::description).toList(),
                    ledger.summary(), sampler.samples(), sampler.unanswered());
            assertThat(sampler.oversubscriptions()).as("moments with an oversubscribed instance").isEmpty();
        }

        Node leader = nodes.leader();
        EcsClient ecs = nodes.ecs(leader);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().alias("the leader serves after the faults")
                .until(() -> ecs.listClusters().clusterArns() != null);
        assertThat(ledger.faults()).as("faults done").isNotEmpty()
                .noneSatisfy(fault -> assertThat(fault.description()).startsWith("could not start"));
        checkRegistrations(ecs, ledger);
        checkTasks(ecs, ledger);
        checkCapacityAtRest(ecs, instances);
    }

    /**
     * Per family: each acknowledged registration's revision is stored with its caller's marker and was answered to
     * no other caller; each stored revision comes from an acknowledged or unknown call, at most once; a number is
     * missing only where a call's outcome is unknown.
     */
    private static void checkRegistrations(EcsClient ecs, FaultLedger ledger) {
        Map<String, Call> registrations = ledger.byMarker(Operation.REGISTER);
        for (String family : FaultWriter.FAMILIES) {
            Map<Integer, String> stored = storedMarkers(ecs, family);
            List<Call> acknowledged = ledger.calls(c -> c.operation() == Operation.REGISTER
                    && family.equals(c.family()) && c.outcome() == Outcome.ACKNOWLEDGED);
            long unknown = ledger.calls(c -> c.operation() == Operation.REGISTER && family.equals(c.family())
                    && c.outcome() == Outcome.UNKNOWN).size();

            assertThat(acknowledged.stream().map(Call::revision)).as(family + ": revisions answered")
                    .doesNotHaveDuplicates();
            for (Call call : acknowledged) {
                assertThat(stored.get(call.revision())).as(family + ":" + call.revision() + ", acknowledged to "
                        + call.marker() + " through " + call.node()).isEqualTo(call.marker());
            }
            assertThat(stored.values()).as(family + ": markers stored").doesNotHaveDuplicates()
                    .allSatisfy(marker -> assertThat(registrations.get(marker)).as("the call of " + marker)
                            .isNotNull().extracting(Call::outcome).isNotEqualTo(Outcome.REFUSED));
            int highest = stored.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            List<Integer> missing = IntStream.rangeClosed(1, highest).filter(n -> !stored.containsKey(n)).boxed()
                    .toList();
            assertThat((long) missing.size()).as(family + ": revisions missing " + missing + " with " + unknown
                    + " calls of unknown outcome").isLessThanOrEqualTo(unknown);
        }
    }

    /** The marker in each stored revision of the family, by revision. */
    private static Map<Integer, String> storedMarkers(EcsClient ecs, String family) {
        Map<Integer, String> markers = new HashMap<>();
        for (String arn : ecs.listTaskDefinitionsPaginator(r -> r.familyPrefix(family)).taskDefinitionArns()) {
            TaskDefinition definition = ecs.describeTaskDefinition(r -> r.taskDefinition(arn)).taskDefinition();
            if (definition.family().equals(family)) {
                markers.put(definition.revision(),
                        definition.containerDefinitions().getFirst().environment().getFirst().value());
            }
        }
        return markers;
    }

    /**
     * Every task an acknowledged RunTask placed is stored with its caller's marker, and stopped if a StopTask of it
     * was acknowledged; every stored task comes from one acknowledged or unknown RunTask that was not answered
     * with a placement failure.
     */
    private static void checkTasks(EcsClient ecs, FaultLedger ledger) {
        Map<String, Task> stored = new HashMap<>();
        for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
            List<String> arns = ecs.listTasksPaginator(r -> r.cluster(CLUSTER).desiredStatus(status)).taskArns()
                    .stream().toList();
            for (int from = 0; from < arns.size(); from += 100) {
                List<String> batch = arns.subList(from, Math.min(arns.size(), from + 100));
                ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(batch)).tasks()
                        .forEach(task -> stored.put(task.taskArn(), task));
            }
        }
        List<Call> placed = ledger.calls(c -> c.operation() == Operation.RUN && c.outcome() == Outcome.ACKNOWLEDGED
                && c.taskArn() != null);
        for (Call call : placed) {
            assertThat(stored.get(call.taskArn())).as("the task acknowledged to " + call.marker() + " through "
                    + call.node()).isNotNull().extracting(Task::startedBy).isEqualTo(call.marker());
        }
        for (Call stop : ledger.calls(c -> c.operation() == Operation.STOP && c.outcome() == Outcome.ACKNOWLEDGED)) {
            assertThat(stored.get(stop.taskArn())).as("the task whose stop was acknowledged to " + stop.marker())
                    .isNotNull().extracting(Task::desiredStatus).isEqualTo("STOPPED");
        }
        Map<String, Call> runs = ledger.byMarker(Operation.RUN);
        Map<String, List<String>> tasksByMarker = stored.values().stream()
                .collect(Collectors.groupingBy(Task::startedBy, Collectors.mapping(Task::taskArn, Collectors.toList())));
        tasksByMarker.forEach((marker, tasks) -> {
            Call run = runs.get(marker);
            assertThat(tasks).as("tasks started by " + marker).hasSize(1);
            assertThat(run).as("the RunTask of " + marker).isNotNull();
            assertThat(run.outcome()).as("the RunTask of " + marker).isNotEqualTo(Outcome.REFUSED);
            if (run.outcome() == Outcome.ACKNOWLEDGED) {
                assertThat(tasks).as("the task of " + marker + ", answered " + run.detail()).containsExactly(
                        run.taskArn());
            }
        });
        System.out.printf("Fault scenario: %d tasks stored, %d acknowledged as placed%n", stored.size(),
                placed.size());
    }

    /** Once the faults are over: no instance holds more than it has, by its own account or by its tasks'. */
    private static void checkCapacityAtRest(EcsClient ecs, List<String> instances) {
        Set<String> running = new HashSet<>(ecs.listTasksPaginator(r -> r.cluster(CLUSTER)
                .desiredStatus(DesiredStatus.RUNNING)).taskArns().stream().toList());
        Map<String, Long> perInstance = new HashMap<>();
        List<String> arns = new ArrayList<>(running);
        for (int from = 0; from < arns.size(); from += 100) {
            List<String> batch = arns.subList(from, Math.min(arns.size(), from + 100));
            ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(batch)).tasks()
                    .forEach(task -> perInstance.merge(task.containerInstanceArn(), 1L, Long::sum));
        }
        for (ContainerInstance instance : ecs.describeContainerInstances(r -> r.cluster(CLUSTER)
                .containerInstances(instances)).containerInstances()) {
            int remaining = Instances.resource(instance.remainingResources(), "MEMORY").integerValue();
            long held = perInstance.getOrDefault(instance.containerInstanceArn(), 0L) * FaultWriter.TASK_MEMORY;
            assertThat(remaining).as("memory left on " + instance.containerInstanceArn()).isNotNegative();
            assertThat(held).as("memory of the tasks meant to run on " + instance.containerInstanceArn())
                    .isLessThanOrEqualTo(Instances.MEMORY);
        }
    }
}
