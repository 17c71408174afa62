package io.berth.control.task;

import io.berth.control.Caller;
import io.berth.control.Describe;
import io.berth.control.Paging;
import io.berth.control.cluster.Clusters;
import io.berth.control.fargate.FargateTasks;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.model.Arns;
import io.berth.model.EcsException;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskField;

/** DescribeTasks and ListTasks, read from the committed state without a write. */
final class TaskLookups {

    private static final int MAX_DESCRIBE = 100;

    private final State state;

    TaskLookups(State state) {
        this.state = state;
    }

    DescribeTasksResponse describeTasks(Caller caller, DescribeTasksRequest request) {
        Region region = state.region(caller.scope());
        String clusterName = Clusters.requireActive(region, request.cluster()).clusterName();
        boolean withTags = request.hasInclude() && request.include().contains(TaskField.TAGS);
        Describe.Result<Task> described = Describe.each(request.hasTasks() ? request.tasks() : null, MAX_DESCRIBE,
                "tasks",
                ref -> Tasks.find(region, clusterName, ref)
                        .map(task -> FargateTasks.shown(withTags ? task : task.toBuilder().tags((List<Tag>) null).build())),
                ref -> caller.scope().arn("task/" + clusterName + "/" + ref));
        return DescribeTasksResponse.builder().tasks(described.found()).failures(described.failures()).build();
    }

    ListTasksResponse listTasks(Caller caller, ListTasksRequest request) {
        Region region = state.region(caller.scope());
        String clusterName = Clusters.requireActive(region, request.cluster()).clusterName();
        String desired = request.desiredStatusAsString() == null ? Tasks.RUNNING : request.desiredStatusAsString();
        if (!List.of(Tasks.RUNNING, Tasks.PENDING, Tasks.STOPPED).contains(desired)) {
            throw EcsException.invalidParameter("desiredStatus must be one of RUNNING, PENDING, STOPPED.");
        }
        String launchType = request.launchTypeAsString();
        if (launchType != null && !List.of("EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES").contains(launchType)) {
            throw EcsException.invalidParameter("Invalid launchType: " + launchType);
        }
        String instanceArn = request.containerInstance() == null ? null
                : Arns.isArn(request.containerInstance()) ? request.containerInstance()
                : caller.scope().arn("container-instance/" + clusterName + "/" + request.containerInstance());
        String familyPrefix = request.family() == null ? null : caller.scope().arn("task-definition/" + request.family() + ":");
        String serviceGroup = request.serviceName() == null ? null : "service:" + Arns.lastSegment(request.serviceName());
        // Read from just after the token and stop once the page is full, rather than filtering the
        // whole cluster's history for every page.
        String after = Paging.decode(request.nextToken());
        var candidates = region.withPrefixAfter(Tasks.KIND, clusterName + "/",
                after == null ? null : clusterName + "/" + after);
        Iterable<Task> matching = () -> candidates.stream()
                .filter(t -> desired.equals(t.desiredStatus()))
                .filter(t -> instanceArn == null || instanceArn.equals(t.containerInstanceArn()) && !FargateTasks.isFargate(t))
                .filter(t -> familyPrefix == null || t.taskDefinitionArn().startsWith(familyPrefix))
                .filter(t -> request.startedBy() == null || request.startedBy().equals(t.startedBy()))
                .filter(t -> serviceGroup == null || serviceGroup.equals(t.group()))
                .filter(t -> launchType == null || launchType.equals(t.launchTypeAsString()))
                .iterator();
        Paging.Page<Task> page = Paging.page(matching, t -> Tasks.idOf(t.taskArn()), request.maxResults(),
                request.nextToken(), 100, 100);
        return ListTasksResponse.builder()
                .taskArns(page.items().stream().map(Task::taskArn).toList())
                .nextToken(page.nextToken())
                .build();
    }
}
