package io.berth.server.metrics;

import io.berth.control.fargate.FargateTasks;
import io.berth.control.state.Change;
import io.berth.control.task.Tasks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Counts placements as {@code berth_placements_total} by launch type: every task a commit created was placed (by
 * RunTask, StartTask or a service), and is counted once it is durable.
 */
final class Placements implements Consumer<List<Change>> {

    private final Counter ec2;
    private final Counter fargate;

    Placements(MeterRegistry registry) {
        this.ec2 = counter(registry, "EC2");
        this.fargate = counter(registry, "FARGATE");
    }

    private static Counter counter(MeterRegistry registry, String launchType) {
        return Counter.builder("berth.placements")
                .description("Tasks placed, on a container instance (EC2) or a Fargate host")
                .tag("launch_type", launchType)
                .register(registry);
    }

    @Override
    public void accept(List<Change> changes) {
        for (Change change : changes) {
            if (change.is(Tasks.KIND) && change.before() == null && change.after() != null) {
                Task task = change.after(Tasks.KIND);
                (FargateTasks.isFargate(task) ? fargate : ec2).increment();
            }
        }
    }
}
