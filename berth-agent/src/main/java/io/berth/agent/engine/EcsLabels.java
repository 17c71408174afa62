package io.berth.agent.engine;

/** The Docker labels put on every task container and volume, as the official agent names them. */
public final class EcsLabels {

    public static final String TASK_ARN = "com.amazonaws.ecs.task-arn";
    public static final String CONTAINER_NAME = "com.amazonaws.ecs.container-name";
    public static final String CLUSTER = "com.amazonaws.ecs.cluster";
    public static final String FAMILY = "com.amazonaws.ecs.task-definition-family";
    public static final String VERSION = "com.amazonaws.ecs.task-definition-version";

    private EcsLabels() {
    }
}
