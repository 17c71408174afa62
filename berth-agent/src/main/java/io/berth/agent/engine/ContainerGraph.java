package io.berth.agent.engine;

import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.ContainerDependency;
import io.berth.model.acs.VolumeFrom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order in which a task's containers may start: each waits for what it names in {@code dependsOn} (with its
 * condition), for the containers it links to to start, and for those it takes volumes from to be created.
 */
final class ContainerGraph {

    private final Map<String, TaskContainer> containers;

    ContainerGraph(Map<String, TaskContainer> containers) {
        this.containers = containers;
    }

    /** Every container named by a link, volumes-from or dependency exists, and none of them goes round in a circle. */
    void check() {
        for (TaskContainer container : containers.values()) {
            AcsContainer definition = container.definition;
            if (definition.links() != null) {
                for (String link : definition.links()) {
                    requireContainer(container, link.split(":", 2)[0], "links to");
                }
            }
            if (definition.volumesFrom() != null) {
                for (VolumeFrom from : definition.volumesFrom()) {
                    requireContainer(container, from.sourceContainer(), "takes volumes from");
                }
            }
            if (definition.dependsOn() != null) {
                for (ContainerDependency dependency : definition.dependsOn()) {
                    requireContainer(container, dependency.containerName(), "depends on");
                }
            }
        }
        checkNoCycle();
    }

    /** Null when the container may start now, "" while it must wait, else why it never can. */
    String blockedBy(TaskContainer container) {
        boolean waiting = false;
        for (ContainerDependency dependency : dependenciesOf(container.definition)) {
            TaskContainer target = containers.get(dependency.containerName());
            if (target == null) {
                throw new TaskSetupException("Container " + container.name() + " depends on unknown container "
                        + dependency.containerName());
            }
            String condition = dependency.condition() == null ? "START" : dependency.condition();
            if (satisfied(target, condition)) {
                continue;
            }
            if (target.known == Status.STOPPED) {
                return "DependencyConditionFailure: " + dependency.containerName() + " did not reach condition "
                        + condition + (target.exitCode == null ? "" : " (exit code " + target.exitCode + ")");
            }
            waiting = true;
        }
        return waiting ? "" : null;
    }

    private static boolean satisfied(TaskContainer target, String condition) {
        boolean started = target.startedAt != null || target.known == Status.RUNNING;
        return switch (condition) {
            case "CREATE" -> target.known.atLeast(Status.CREATED) && target.dockerId != null;
            case "START" -> started && target.known.atLeast(Status.RUNNING);
            case "COMPLETE" -> target.known == Status.STOPPED && target.exitCode != null;
            case "SUCCESS" -> target.known == Status.STOPPED && Integer.valueOf(0).equals(target.exitCode);
            case "HEALTHY" -> "healthy".equals(target.health) && target.known == Status.RUNNING;
            default -> throw new TaskSetupException("Unknown dependency condition " + condition);
        };
    }

    /** dependsOn as written, links as START and volumes-from as CREATE. */
    private static List<ContainerDependency> dependenciesOf(AcsContainer definition) {
        List<ContainerDependency> dependencies = new ArrayList<>();
        if (definition.dependsOn() != null) {
            dependencies.addAll(definition.dependsOn());
        }
        if (definition.links() != null) {
            for (String link : definition.links()) {
                dependencies.add(new ContainerDependency(link.split(":", 2)[0], "START"));
            }
        }
        if (definition.volumesFrom() != null) {
            for (VolumeFrom from : definition.volumesFrom()) {
                dependencies.add(new ContainerDependency(from.sourceContainer(), "CREATE"));
            }
        }
        return dependencies;
    }

    /** Links, volumes-from and dependsOn must not go round in a circle, or no container could ever start. */
    private void checkNoCycle() {
        Map<String, List<String>> edges = new HashMap<>();
        for (TaskContainer container : containers.values()) {
            edges.put(container.name(), dependenciesOf(container.definition).stream()
                    .map(ContainerDependency::containerName).toList());
        }
        Map<String, Boolean> visiting = new HashMap<>();
        for (String name : edges.keySet()) {
            visit(name, edges, visiting);
        }
    }

    private static void visit(String name, Map<String, List<String>> edges, Map<String, Boolean> visiting) {
        Boolean state = visiting.get(name);
        if (Boolean.FALSE.equals(state)) {
            return;
        }
        if (Boolean.TRUE.equals(state)) {
            throw new TaskSetupException("Circular dependency between containers, through " + name);
        }
        visiting.put(name, true);
        for (String target : edges.getOrDefault(name, List.of())) {
            visit(target, edges, visiting);
        }
        visiting.put(name, false);
    }

    private void requireContainer(TaskContainer container, String target, String relation) {
        if (!containers.containsKey(target)) {
            throw new TaskSetupException("Container " + container.name() + " " + relation + " unknown container "
                    + target);
        }
    }
}
