package io.berth.control.task;

import io.berth.control.state.Transaction;
import io.berth.model.AwsJson;
import io.berth.model.EcsException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * RunTask's client tokens: a retry of a request with the same token gets the same tasks, another request with
 * that token is a ConflictException, and tokens are forgotten after {@link RunTaskToken#LIFETIME}.
 */
final class RunTaskTokens {

    private static final int MAX_CLIENT_TOKEN = 64;
    private static final int PRUNED_PER_RUN = 4;

    private final AwsJson json = new AwsJson();

    /** Refuses a token of no allowed length; null means the request has none. */
    static void validate(String token) {
        if (token != null && (token.isEmpty() || token.length() > MAX_CLIENT_TOKEN)) {
            throw EcsException.invalidParameter("clientToken must be between 1 and " + MAX_CLIENT_TOKEN + " characters.");
        }
    }

    /** A digest of the request without its token, which a retry must match. */
    String fingerprint(RunTaskRequest request) {
        // Not null: the SDK fills an absent idempotency token with a fresh random one when written.
        byte[] canonical = json.writeBytes(request.toBuilder().clientToken("").build());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What an earlier request with this token answered, if it has not expired; a different request with the token
     * is refused. When there is none, a few expired tokens are deleted.
     */
    Optional<Placed> replay(Transaction tx, String clusterName, String token, String fingerprint, Instant now) {
        Optional<RunTaskToken> earlier = tx.get(Tasks.CLIENT_TOKENS, clusterName + "/" + token)
                .filter(t -> !t.expired(now));
        if (earlier.isEmpty()) {
            pruneExpired(tx, clusterName, token, now);
            return Optional.empty();
        }
        if (!earlier.get().fingerprint().equals(fingerprint)) {
            throw new EcsException("ConflictException", 400, "The clientToken is already in use with a different "
                    + "RunTask request. Tasks of that request: " + String.join(", ", earlier.get().taskArns()));
        }
        List<Task> tasks = earlier.get().taskArns().stream()
                .flatMap(arn -> tx.get(Tasks.KIND, Tasks.key(clusterName, Tasks.idOf(arn))).stream())
                .toList();
        return Optional.of(new Placed(tasks, earlier.get().failures()));
    }

    /** Keeps what a request with this token answered, in the same write as its tasks. */
    void record(Transaction tx, String clusterName, String token, String fingerprint, Placed placed, Instant now) {
        tx.put(Tasks.CLIENT_TOKENS, clusterName + "/" + token, new RunTaskToken(token, fingerprint,
                placed.tasks().stream().map(Task::taskArn).toList(), placed.failures(), now));
    }

    /**
     * Deletes a few expired tokens that sort after the new one. Tokens are mostly random, so each
     * RunTask looks at a different stretch and the expired ones go away at the rate new ones come,
     * without scanning them all.
     */
    private static void pruneExpired(Transaction tx, String clusterName, String token, Instant now) {
        String prefix = clusterName + "/";
        int looked = 0;
        for (RunTaskToken candidate : tx.region().withPrefixAfter(Tasks.CLIENT_TOKENS, prefix, prefix + token)) {
            if (++looked > PRUNED_PER_RUN) {
                return;
            }
            if (candidate.expired(now)) {
                tx.delete(Tasks.CLIENT_TOKENS, prefix + candidate.token());
            }
        }
    }
}
