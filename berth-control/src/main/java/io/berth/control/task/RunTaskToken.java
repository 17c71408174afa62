package io.berth.control.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.Failure;

/**
 * What a RunTask with a client token answered, so that a retry of the same request gets the same
 * tasks and a different request with the same token is refused.
 *
 * @param token the client token
 * @param fingerprint a digest of the request without its token
 * @param createdAt when the token was first used; it counts for {@link #LIFETIME} after that
 */
public record RunTaskToken(String token, String fingerprint, List<String> taskArns, List<Failure> failures, Instant createdAt) {

    /**
     * How long a token keeps answering. The SDKs send a fresh token with every RunTask, so tokens
     * must not be kept for ever; retries come within minutes.
     */
    public static final Duration LIFETIME = Duration.ofHours(8);

    public RunTaskToken {
        taskArns = List.copyOf(taskArns);
        failures = List.copyOf(failures);
    }

    boolean expired(Instant now) {
        return createdAt.plus(LIFETIME).isBefore(now);
    }
}
