package io.berth.e2e;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Every call the writers of a fault scenario made, with how it ended, and what the faults were. */
final class FaultLedger {

    /** The writes the scenario makes. */
    enum Operation { REGISTER, RUN, STOP }

    /**
     * One call. {@code marker} is unique to the call and stored with what it writes (a registration's environment,
     * a task's startedBy, a stop's reason); {@code revision} and {@code taskArn} are what an acknowledged call
     * answered (null otherwise, or when a RunTask placed nothing).
     */
    record Call(Operation operation, Node node, String marker, String family, Outcome outcome, Integer revision,
            String taskArn, String detail) {
    }

    /** A fault done to a node, or a failure to do it. */
    record Fault(Instant at, String description) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();

    void record(Call call) {
        calls.add(call);
    }

    void fault(String description) {
        faults.add(new Fault(Instant.now(), description));
    }

    List<Call> calls(Predicate<Call> which) {
        return calls.stream().filter(which).toList();
    }

    List<Fault> faults() {
        return List.copyOf(faults);
    }

    /** The calls of one operation by marker. */
    Map<String, Call> byMarker(Operation operation) {
        return calls.stream().filter(call -> call.operation() == operation)
                .collect(Collectors.toMap(Call::marker, call -> call));
    }

    /** How many calls ended each way, per operation, for the report. */
    String summary() {
        return calls.stream().collect(Collectors.groupingBy(call -> call.operation() + " " + call.outcome(),
                TreeMap::new, Collectors.counting())).toString();
    }
}
