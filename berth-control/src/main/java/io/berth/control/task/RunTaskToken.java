package io.berth.control.task;

import java.util.List;
import software.amazon.awssdk.services.ecs.model.Failure;

/**
 * What a RunTask with a client token answered, so that a retry of the same request gets the same
 * tasks and a different request with the same token is refused.
 *
 * @param fingerprint a digest of the request without its token
 */
public record RunTaskToken(String fingerprint, List<String> taskArns, List<Failure> failures) {

    public RunTaskToken {
        taskArns = List.copyOf(taskArns);
        failures = List.copyOf(failures);
    }
}
