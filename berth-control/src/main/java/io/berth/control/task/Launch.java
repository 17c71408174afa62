package io.berth.control.task;

import io.berth.control.placement.Demand;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

/**
 * Everything a new task needs besides where it goes.
 *
 * @param network the checked awsvpc configuration, null unless the definition's network mode is awsvpc
 * @param platformVersion the Fargate platform version the task runs on, null off Fargate
 */
record Launch(TaskDefinition definition, TaskOverride overrides, Demand demand, String launchType, String group,
        String startedBy, List<Tag> tags, String capacityProviderName, NetworkConfiguration network,
        String platformVersion) {

    /** The same launch on a capacity provider's instance, which the task then names. */
    Launch on(String capacityProvider) {
        return new Launch(definition, overrides, demand, launchType, group, startedBy, tags, capacityProvider,
                network, platformVersion);
    }

    /** The same launch on a Fargate platform version (null off Fargate). */
    Launch onPlatform(String version) {
        return new Launch(definition, overrides, demand, launchType, group, startedBy, tags, capacityProviderName,
                network, version);
    }
}
