package io.berth.control.fargate;

import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskSet;

/** What a service on Fargate shows: the platform version asked for, and on each deployment the one it runs. */
public final class FargateServices {

    private FargateServices() {
    }

    /** The service with the platform it asked for (LATEST by default) on Fargate, and none off Fargate. */
    public static Service.Builder onPlatform(Service.Builder service, String platformVersion) {
        return service.platformVersion(platformVersion)
                .platformFamily(platformVersion == null ? null : FargatePlatform.LINUX);
    }

    /** A task set on Fargate shows the version its tasks run on and their platform family. */
    public static TaskSet.Builder onPlatform(TaskSet.Builder taskSet, TaskDefinition definition,
            String platformVersion) {
        return platformVersion == null ? taskSet : taskSet.platformVersion(FargatePlatform.resolved(platformVersion))
                .platformFamily(FargatePlatform.family(definition));
    }

    /** A deployment of a Fargate service shows the version its tasks run on; others are left as they are. */
    public static Deployment onPlatform(Deployment deployment, TaskDefinition definition, String platformVersion) {
        if (platformVersion == null) {
            return deployment;
        }
        return deployment.toBuilder().platformVersion(FargatePlatform.resolved(platformVersion))
                .platformFamily(FargatePlatform.family(definition)).build();
    }
}
