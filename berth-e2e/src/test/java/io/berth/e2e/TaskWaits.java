package io.berth.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Task;

/** Waiting for what agents report, through the API as a client would. */
final class TaskWaits {

    private TaskWaits() {
    }

    static Task describe(EcsClient ecs, String cluster, String taskArn) {
        return ecs.describeTasks(r -> r.cluster(cluster).tasks(taskArn)).tasks().get(0);
    }

    /** The task once its lastStatus is {@code status}; fails after {@code within}. */
    static Task awaitStatus(EcsClient ecs, String cluster, String taskArn, String status, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(250))
                .alias("task " + taskArn + " reaching " + status)
                .until(() -> describe(ecs, cluster, taskArn).lastStatus(), status::equals);
        return describe(ecs, cluster, taskArn);
    }

    static ContainerInstance instance(EcsClient ecs, String cluster, String arn) {
        return ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(arn))
                .containerInstances().get(0);
    }
}
