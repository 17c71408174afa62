package io.berth.agent.docker;

import io.berth.model.acs.AcsContainer;
import java.util.List;
import java.util.Map;

/**
 * One ACS container with every task-level name already resolved to Docker terms: the command after overrides,
 * the labels and environment to set, links as {@code dockerName:alias}, binds as {@code source:path[:ro]} and
 * volumes-from as {@code dockerName[:ro]}; {@code cgroupParent} is the task's cgroup, or null when the task has no size.
 */
public record ContainerSetup(
        AcsContainer container,
        List<String> command,
        Map<String, String> labels,
        Map<String, String> environment,
        List<String> links,
        List<String> binds,
        List<String> volumesFrom,
        String cgroupParent) {

    public ContainerSetup {
        command = command == null ? null : List.copyOf(command);
        labels = Map.copyOf(labels);
        environment = Map.copyOf(environment);
        links = List.copyOf(links);
        binds = List.copyOf(binds);
        volumesFrom = List.copyOf(volumesFrom);
    }
}
