package io.berth.control.task;

import io.berth.control.placement.Demand;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

/** Everything a new task needs besides where it goes. */
record Launch(TaskDefinition definition, TaskOverride overrides, Demand demand, String launchType, String group,
        String startedBy, List<Tag> tags, String capacityProviderName, String platformVersion) {

    /** The same launch on a capacity provider's instance, which the task then names. */
    Launch on(String capacityProvider) {
        return new Launch(definition, overrides, demand, launchType, group, startedBy, tags, capacityProvider,
                platformVersion);
    }

    /** The same launch on a Fargate platform version (null off Fargate). */
    Launch onPlatform(String version) {
        return new Launch(definition, overrides, demand, launchType, group, startedBy, tags, capacityProviderName,
                version);
    }
}
