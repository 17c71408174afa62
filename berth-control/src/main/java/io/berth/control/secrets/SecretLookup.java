package io.berth.control.secrets;

import io.berth.control.Caller;
import io.berth.control.Scope;
import io.berth.control.state.State;
import io.berth.control.state.Transaction;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Finds the secret a request names, asks IAM for the operation on it, and purges secrets whose recovery window ended. */
final class SecretLookup {

    private final State state;
    private final SecretPermissions permissions;
    private final Clock clock;

    SecretLookup(State state, SecretPermissions permissions, Clock clock) {
        this.state = state;
        this.permissions = permissions;
        this.clock = clock;
    }

    /**
     * The secret the SecretId names once the caller may act on it, or ResourceNotFoundException; a secret scheduled
     * for deletion is InvalidRequestException unless the operation acts on such secrets too.
     */
    StoredSecret require(Caller caller, String action, String secretId, boolean deletedToo) {
        return require(caller, action, secretId, deletedToo, Map.of(), List.of());
    }

    /** As {@link #require(Caller, String, String, boolean)}, for a request that sets or removes tags. */
    StoredSecret require(Caller caller, String action, String secretId, boolean deletedToo,
            Map<String, String> requestTags, Collection<String> tagKeys) {
        StoredSecret found = Secrets.find(state.region(caller.scope()), secretId, clock.instant()).orElse(null);
        permissions.require(caller, action, secretId, found, requestTags, tagKeys);
        if (found == null) {
            throw SecretsErrors.notFound();
        }
        if (!deletedToo && found.deleted()) {
            throw SecretsErrors.markedForDeletion();
        }
        return found;
    }

    /** The secret as the write sees it, the same one that was found (not a new secret of the same name). */
    static StoredSecret current(Transaction tx, StoredSecret found) {
        return tx.get(Secrets.KIND, found.name()).filter(s -> s.arn().equals(found.arn()))
                .orElseThrow(SecretsErrors::notFound);
    }

    /** Removes the secret and every value it holds. */
    static void purge(Transaction tx, StoredSecret secret) {
        for (SecretVersion version : secret.versions()) {
            tx.delete(Secrets.VALUES, Secrets.valueId(secret.name(), version.versionId()));
        }
        tx.delete(Secrets.KIND, secret.name());
    }

    /** Purges every secret of every scope whose recovery window has ended; answers how many. */
    int purgeDue() {
        Instant now = clock.instant();
        int purged = 0;
        for (Scope scope : state.scopes()) {
            for (StoredSecret secret : state.region(scope).all(Secrets.KIND)) {
                if (Secrets.purgeDue(secret, now)) {
                    purged += state.write(scope, tx -> {
                        StoredSecret current = tx.get(Secrets.KIND, secret.name()).orElse(null);
                        if (current == null || !Secrets.purgeDue(current, now)) {
                            return 0;
                        }
                        purge(tx, current);
                        return 1;
                    });
                }
            }
        }
        return purged;
    }
}
