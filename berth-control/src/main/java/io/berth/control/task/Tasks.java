package io.berth.control.task;

import io.berth.control.Scope;
import io.berth.control.fargate.FargateTasks;
import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import io.berth.control.state.Region;
import io.berth.model.Arns;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** The task kind and the lookups other families use. */
public final class Tasks {

    private static final HexFormat HEX = HexFormat.of();

    /** Stored tasks, keyed by {@code <cluster name>/<task id>}. */
    public static final Kind<Task> KIND = Kinds.json("task", Task.class);

    /** RunTask client tokens, keyed by {@code <cluster name>/<client token>}. */
    public static final Kind<RunTaskToken> CLIENT_TOKENS = Kinds.json("run-task-token", RunTaskToken.class);

    public static final String PENDING = "PENDING";
    public static final String RUNNING = "RUNNING";
    public static final String STOPPED = "STOPPED";

    /** Tasks of a cluster by their last reported status, and how many of those are Fargate tasks. */
    public record Counts(int running, int pending, int runningFargate, int pendingFargate) {

        public Counts(int running, int pending) {
            this(running, pending, 0, 0);
        }
    }

    private Tasks() {
    }

    public static Counts counts(Region region, String clusterName) {
        int running = 0;
        int pending = 0;
        int runningFargate = 0;
        int pendingFargate = 0;
        for (Task task : region.withPrefix(KIND, clusterName + "/")) {
            int fargate = FargateTasks.isFargate(task) ? 1 : 0;
            if (RUNNING.equals(task.lastStatus())) {
                running++;
                runningFargate += fargate;
            } else if (PENDING.equals(task.lastStatus()) || "PROVISIONING".equals(task.lastStatus())) {
                pending++;
                pendingFargate += fargate;
            }
        }
        return new Counts(running, pending, runningFargate, pendingFargate);
    }

    /** Tasks placed on one container instance by their last reported status. */
    public static Counts countsOn(Region region, String clusterName, String containerInstanceArn) {
        int running = 0;
        int pending = 0;
        for (Task task : region.withPrefix(KIND, clusterName + "/")) {
            if (!containerInstanceArn.equals(task.containerInstanceArn())) {
                continue;
            }
            if (RUNNING.equals(task.lastStatus())) {
                running++;
            } else if (PENDING.equals(task.lastStatus())) {
                pending++;
            }
        }
        return new Counts(running, pending);
    }

    /**
     * A new task id, 32 hex digits as ECS makes them: the time in milliseconds, then 80 random bits. Tasks placed
     * together sort together, so the store writes their documents to a few pages of its index rather than one page
     * each, and lists follow the order tasks were made in.
     */
    static String newId(Instant now) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HEX.toHexDigits(now.toEpochMilli()).substring(4) + HEX.toHexDigits(random.nextLong())
                + HEX.toHexDigits((short) random.nextInt());
    }

    public static String key(String clusterName, String taskId) {
        return clusterName + "/" + taskId;
    }

    /** Where a task of the cluster is stored. */
    static String key(String clusterName, Task task) {
        return key(clusterName, idOf(task.taskArn()));
    }

    /** The id of a task named by id or by ARN (both {@code task/<cluster>/<id>} and the older {@code task/<id>}). */
    public static String idOf(String taskRef) {
        return Arns.lastSegment(taskRef);
    }

    /** The cluster a task ARN of the newer form names, if it is one of this scope. */
    public static Optional<String> clusterOf(Scope scope, String taskArn) {
        String prefix = scope.arn("task/");
        if (taskArn == null || !taskArn.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = taskArn.substring(prefix.length());
        int slash = rest.indexOf('/');
        return slash <= 0 ? Optional.empty() : Optional.of(rest.substring(0, slash));
    }

    /** The task of the cluster a request names by id or ARN; an ARN must be this task's own. */
    public static Optional<Task> find(Region region, String clusterName, String taskRef) {
        if (taskRef == null || taskRef.isEmpty()) {
            return Optional.empty();
        }
        return region.get(KIND, key(clusterName, idOf(taskRef)))
                .filter(task -> !Arns.isArn(taskRef) || taskRef.equals(task.taskArn())
                        || taskRef.equals(region.scope().arn("task/" + idOf(taskRef))));
    }

    /** The names of a definition's essential containers; a container is essential unless it says otherwise. */
    static Set<String> essentialContainers(TaskDefinition definition) {
        return definition.containerDefinitions().stream()
                .filter(c -> c.essential() == null || c.essential())
                .map(ContainerDefinition::name)
                .collect(Collectors.toSet());
    }

    /**
     * Whether a task of the definition has a health to wait for: some essential container has a health check.
     * Without one the task's health stays UNKNOWN.
     */
    public static boolean hasHealthChecks(TaskDefinition definition) {
        return definition.containerDefinitions().stream()
                .anyMatch(c -> c.healthCheck() != null && (c.essential() == null || c.essential()));
    }
}
