package io.berth.control.task;

import io.berth.control.placement.PlacementRules;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * What a service scheduler asks of its tasks: the revision, the service's placement rules, and
 * how its tasks are marked ({@code group} {@code service:<name>}, {@code startedBy} the
 * deployment id), and on Fargate the platform version its tasks run on.
 *
 * @param network the deployment's (or task set's) checked awsvpc configuration, null for other network modes
 */
public record ServiceLaunch(TaskDefinition definition, PlacementRules rules, String launchType, String group,
        String startedBy, List<Tag> tags, List<CapacityProviderStrategyItem> capacityProviderStrategy,
        NetworkConfiguration network, String platformVersion) {
}
