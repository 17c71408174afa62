package io.berth.server.metrics;

import io.berth.control.Scope;
import io.berth.control.state.State;
import io.berth.control.task.Tasks;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The tasks of every account and region by last status, counted when Prometheus asks: one pass over the tasks in
 * memory, no store read. Every status ECS knows has a row, zero or not, so that each series stays continuous; any
 * other status counts under {@code OTHER}.
 */
final class TaskCounts {

    static final List<String> STATUSES = List.of("PROVISIONING", "PENDING", "ACTIVATING", "RUNNING", "DEACTIVATING",
            "STOPPING", "DEPROVISIONING", "STOPPED", "DELETED");
    static final String OTHER = "OTHER";

    private TaskCounts() {
    }

    static Map<String, Long> count(State state) {
        Map<String, Long> counts = new LinkedHashMap<>();
        STATUSES.forEach(status -> counts.put(status, 0L));
        counts.put(OTHER, 0L);
        for (Scope scope : state.scopes()) {
            for (Task task : state.region(scope).all(Tasks.KIND)) {
                String status = task.lastStatus();
                counts.merge(status != null && counts.containsKey(status) ? status : OTHER, 1L, Long::sum);
            }
        }
        return counts;
    }

    static List<MultiGauge.Row<?>> rows(State state) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        count(state).forEach((status, count) -> rows.add(MultiGauge.Row.of(Tags.of("status", status), count)));
        return rows;
    }
}
