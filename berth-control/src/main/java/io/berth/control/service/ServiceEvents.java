package io.berth.control.service;

import io.berth.model.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;

/** The service events ECS writes, in its words: newest first, the latest 100 kept. */
final class ServiceEvents {

    static final int KEPT = 100;
    /** A repeated complaint (unable to place, throttled) is written again only after this long. */
    static final Duration REPEAT_AFTER = Duration.ofMinutes(5);
    static final String STEADY = "has reached a steady state.";

    private ServiceEvents() {
    }

    static Service add(Service service, String message, Instant now) {
        List<ServiceEvent> events = new ArrayList<>(KEPT);
        events.add(ServiceEvent.builder().id(Ids.uuid()).createdAt(now)
                .message("(service " + service.serviceName() + ") " + message).build());
        for (ServiceEvent event : service.events()) {
            if (events.size() == KEPT) {
                break;
            }
            events.add(event);
        }
        return service.toBuilder().events(events).build();
    }

    /** Adds the event unless the same one was written within {@link #REPEAT_AFTER}. */
    static Service addUnlessRecent(Service service, String message, Instant now) {
        String full = "(service " + service.serviceName() + ") " + message;
        boolean recent = service.events().stream().anyMatch(e -> e.message().equals(full)
                && e.createdAt().plus(REPEAT_AFTER).isAfter(now));
        return recent ? service : add(service, message, now);
    }

    static boolean lastIsSteady(Service service) {
        return !service.events().isEmpty() && service.events().get(0).message().endsWith(STEADY);
    }

    static String started(List<String> taskIds) {
        return "has started " + taskIds.size() + " tasks: " + tasks(taskIds) + ".";
    }

    static String stopped(List<String> taskIds) {
        return "has stopped " + taskIds.size() + " running tasks: " + tasks(taskIds) + ".";
    }

    /** The service stopped a task whose essential container failed its health check. */
    static String failedHealthChecks(String taskId) {
        return "(task " + taskId + ") failed container health checks.";
    }

    static String deploymentCompleted(String deploymentId) {
        return "(deployment " + deploymentId + ") deployment completed.";
    }

    static String deploymentFailed(String deploymentId) {
        return "(deployment " + deploymentId + ") deployment failed: tasks failed to start.";
    }

    static String deploymentStopped(String deploymentId) {
        return "(deployment " + deploymentId + ") deployment stopped: a rollback was requested.";
    }

    static String rollingBack(String toDeploymentId) {
        return "rolling back to deployment " + toDeploymentId + ".";
    }

    static String throttled() {
        return "is unable to consistently start tasks successfully. For more information, see the Troubleshooting "
                + "section of the Amazon ECS Developer Guide.";
    }

    /** A task the scheduler placed could not be launched, such as when its role cannot be assumed. */
    static String failedToLaunch(String error) {
        return "failed to launch a task with (error " + error + ").";
    }

    /** Why no instance took a task, naming the closest instance as ECS does. */
    static String unableToPlace(List<Failure> failures) {
        String prefix = "was unable to place a task because no container instance met all of its requirements. ";
        String suffix = " For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.";
        if (failures.isEmpty()) {
            return prefix + "Reason: No Container Instances were found in your cluster." + suffix;
        }
        Failure closest = failures.get(0);
        if (closest.arn() == null) {
            // No instance to name, as when Fargate has no capacity: ECS gives the reason alone.
            return "was unable to place a task. Reason: " + closest.reason() + ".";
        }
        String instance = "(container-instance " + closest.arn().substring(closest.arn().lastIndexOf('/') + 1) + ")";
        String why = switch (closest.reason()) {
            case "RESOURCE:CPU" -> "has insufficient CPU units available.";
            case "RESOURCE:MEMORY" -> "has insufficient memory available.";
            case "RESOURCE:PORTS", "RESOURCE:PORTS_UDP" -> "is already using a port required by your task.";
            case "ATTRIBUTE" -> "is missing an attribute required by your task.";
            default -> "encountered error \"" + closest.reason() + "\".";
        };
        return prefix + "The closest matching " + instance + " " + why + suffix;
    }

    private static String tasks(List<String> taskIds) {
        return taskIds.stream().map(id -> "(task " + id + ")").collect(Collectors.joining(" "));
    }
}
