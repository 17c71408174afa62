package io.berth.control.service;

import io.berth.control.cluster.Clusters;
import io.berth.control.state.Region;
import io.berth.control.task.Tasks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceCurrentRevisionSummary;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskSet;

/** Services as the operations answer with them: counts as the tasks stand now, tags only when asked for. */
final class ServiceViews {

    private ServiceViews() {
    }

    /** The service as ECS shows it: tags only when asked for. */
    static Service present(Region region, Service service, boolean withTags) {
        Service counted = withCurrentCounts(region, service);
        return withTags ? counted : counted.toBuilder().tags((List<Tag>) null).build();
    }

    /**
     * The service with its running and pending counts, and those of each deployment, as the tasks
     * stand now: the stored ones are as of the scheduler's last step.
     */
    private static Service withCurrentCounts(Region region, Service service) {
        String clusterName = Clusters.nameOf(region.scope(), service.clusterArn()).orElse("");
        String group = Services.GROUP_PREFIX + service.serviceName();
        Map<String, int[]> byDeployment = new HashMap<>();
        for (Task task : region.withPrefix(Tasks.KIND, clusterName + "/")) {
            if (!group.equals(task.group())) {
                continue;
            }
            int[] counts = byDeployment.computeIfAbsent(String.valueOf(task.startedBy()), k -> new int[2]);
            if (Tasks.RUNNING.equals(task.lastStatus())) {
                counts[0]++;
            } else if (Tasks.PENDING.equals(task.lastStatus())) {
                counts[1]++;
            }
        }
        int running = 0;
        int pending = 0;
        List<Deployment> deployments = new ArrayList<>();
        for (Deployment deployment : service.deployments()) {
            int[] counts = byDeployment.getOrDefault(deployment.id(), new int[2]);
            running += counts[0];
            pending += counts[1];
            deployments.add(deployment.toBuilder().runningCount(counts[0]).pendingCount(counts[1]).build());
        }
        List<TaskSet> taskSets = new ArrayList<>();
        for (TaskSet taskSet : service.taskSets()) {
            int[] counts = byDeployment.getOrDefault(taskSet.id(), new int[2]);
            running += counts[0];
            pending += counts[1];
            taskSets.add(taskSet.toBuilder().runningCount(counts[0]).pendingCount(counts[1]).build());
        }
        Service.Builder counted = service.toBuilder().runningCount(running).pendingCount(pending)
                .deployments(deployments).taskSets(service.hasTaskSets() ? taskSets : null);
        if (!deployments.isEmpty()) {
            Deployment primary = deployments.get(0);
            counted.currentServiceDeployment(Deployments.deploymentArn(region.scope(), clusterName,
                    service.serviceName(), primary.id()));
            counted.currentServiceRevisions(deployments.stream().map(d -> ServiceCurrentRevisionSummary.builder()
                    .arn(Deployments.revisionArn(region.scope(), clusterName, service.serviceName(), d.id()))
                    .requestedTaskCount(d.desiredCount())
                    .runningTaskCount(d.runningCount())
                    .pendingTaskCount(d.pendingCount())
                    .build()).toList());
        }
        return counted.build();
    }
}
