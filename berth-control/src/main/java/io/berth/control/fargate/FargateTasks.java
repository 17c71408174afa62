package io.berth.control.fargate;

import software.amazon.awssdk.services.ecs.model.EphemeralStorage;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskEphemeralStorage;

/** What a Fargate task shows that an EC2 task does not, and what it hides. */
public final class FargateTasks {

    private FargateTasks() {
    }

    public static boolean isFargate(Task task) {
        return FargateCapacity.LAUNCH_TYPE.equals(task.launchTypeAsString());
    }

    /**
     * A new task with its Fargate members: the platform version it runs on, its platform family and its ephemeral
     * storage. A task off Fargate is left as it is.
     *
     * @param platformVersion the version asked for (LATEST or none resolve to the current one)
     */
    public static Task.Builder onFargate(Task.Builder task, String launchType, TaskDefinition definition,
            String platformVersion) {
        if (!FargateCapacity.LAUNCH_TYPE.equals(launchType)) {
            return task;
        }
        int storage = FargatePlatform.ephemeralStorageGiB(definition);
        return task.platformVersion(FargatePlatform.resolved(platformVersion))
                .platformFamily(FargatePlatform.family(definition))
                .ephemeralStorage(EphemeralStorage.builder().sizeInGiB(storage).build())
                .fargateEphemeralStorage(TaskEphemeralStorage.builder().sizeInGiB(storage).build());
    }

    /** The task as the API shows it: the host of a Fargate task is kept for its agent, never shown. */
    public static Task shown(Task task) {
        return isFargate(task) && task.containerInstanceArn() != null
                ? task.toBuilder().containerInstanceArn(null).build() : task;
    }
}
