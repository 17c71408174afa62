package io.berth.control.secrets;

import io.berth.control.Caller;
import io.berth.control.JsonOperations;
import io.berth.control.Periodic;
import io.berth.control.access.ServiceAccess;
import io.berth.control.crypto.SealedDocuments;
import io.berth.control.crypto.Sealer;
import io.berth.control.iam.Authorizer;
import io.berth.control.state.Kind;
import io.berth.control.state.State;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetRandomPasswordRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetRandomPasswordResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.RestoreSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.TagResourceRequest;
import software.amazon.awssdk.services.secretsmanager.model.TagResourceResponse;
import software.amazon.awssdk.services.secretsmanager.model.UntagResourceRequest;
import software.amazon.awssdk.services.secretsmanager.model.UntagResourceResponse;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretVersionStageRequest;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretVersionStageResponse;

/**
 * The Secrets Manager API ({@code secretsmanager.*}) of every account and region, kept in
 * {@link State} with every value sealed by the master key.
 */
public final class SecretsManager {

    /** What Secrets Manager keeps, so a restart reads it back. */
    public static final List<Kind<?>> KINDS = List.of(Secrets.KIND, Secrets.VALUES);

    private static final Logger log = LoggerFactory.getLogger(SecretsManager.class);

    private final State state;
    private final SecretPermissions permissions;
    private final SecretLookup lookup;
    private final SecretWrites writes;
    private final SecretReads reads;
    private final RandomPasswords passwords = new RandomPasswords();
    private final Clock clock;

    /** The stored values of secrets, for sealing them again under a new master key. */
    public static SealedDocuments sealedDocuments() {
        return new SecretSeals();
    }

    /** @param authorizer decides what principals other than an account's root may do */
    public SecretsManager(State state, Sealer sealer, Authorizer authorizer, Clock clock) {
        this.state = state;
        this.clock = clock;
        this.permissions = new SecretPermissions(new ServiceAccess(authorizer));
        this.lookup = new SecretLookup(state, permissions, clock);
        SecretVault vault = new SecretVault(sealer);
        this.writes = new SecretWrites(state, vault, permissions, lookup, clock);
        this.reads = new SecretReads(state, vault, permissions, lookup, clock);
    }

    public void addTo(JsonOperations operations) {
        operations.add("CreateSecret", CreateSecretRequest.class, writes::createSecret);
        operations.add("GetSecretValue", GetSecretValueRequest.class, reads::getSecretValue);
        operations.add("PutSecretValue", PutSecretValueRequest.class, writes::putSecretValue);
        operations.add("UpdateSecret", UpdateSecretRequest.class, writes::updateSecret);
        operations.add("UpdateSecretVersionStage", UpdateSecretVersionStageRequest.class, this::updateSecretVersionStage);
        operations.add("DescribeSecret", DescribeSecretRequest.class, reads::describeSecret);
        operations.add("ListSecrets", ListSecretsRequest.class, reads::listSecrets);
        operations.add("DeleteSecret", DeleteSecretRequest.class, writes::deleteSecret);
        operations.add("RestoreSecret", RestoreSecretRequest.class, writes::restoreSecret);
        operations.add("TagResource", TagResourceRequest.class, this::tagResource);
        operations.add("UntagResource", UntagResourceRequest.class, this::untagResource);
        operations.add("GetRandomPassword", GetRandomPasswordRequest.class, this::getRandomPassword);
    }

    /** Purges the secrets whose recovery window has ended; answers how many. */
    public int purgeDue() {
        return lookup.purgeDue();
    }

    /** Purges due secrets every period on a thread of its own, until the answer is closed. */
    public AutoCloseable purgeEvery(Duration period) {
        return Periodic.start("berth-secret-purge", period, period, () -> {
            int purged = purgeDue();
            if (purged > 0) {
                log.info("Purged {} deleted secrets whose recovery window ended", purged);
            }
        });
    }

    TagResourceResponse tagResource(Caller caller, TagResourceRequest request) {
        if (!request.hasTags()) {
            throw SecretsErrors.constraint("tags", null, "Member must not be null");
        }
        Map<String, String> added = SecretTags.of(request.tags());
        StoredSecret found = lookup.require(caller, "TagResource", request.secretId(), false, added, added.keySet());
        state.write(caller.scope(), tx -> {
            StoredSecret secret = SecretLookup.current(tx, found);
            tx.put(Secrets.KIND, secret.name(), secret.withTags(SecretTags.merged(secret.tags(), added), clock.instant()));
            return null;
        });
        return TagResourceResponse.builder().build();
    }

    UntagResourceResponse untagResource(Caller caller, UntagResourceRequest request) {
        if (!request.hasTagKeys()) {
            throw SecretsErrors.constraint("tagKeys", null, "Member must not be null");
        }
        List<String> keys = request.tagKeys();
        StoredSecret found = lookup.require(caller, "UntagResource", request.secretId(), false, Map.of(), keys);
        state.write(caller.scope(), tx -> {
            StoredSecret secret = SecretLookup.current(tx, found);
            Map<String, String> remaining = new LinkedHashMap<>(secret.tags());
            keys.forEach(remaining::remove);
            tx.put(Secrets.KIND, secret.name(), secret.withTags(remaining, clock.instant()));
            return null;
        });
        return UntagResourceResponse.builder().build();
    }

    /**
     * Moves a staging label to a version, or takes it off one. A label on another version moves only when the
     * request names that version as the one to take it from; AWSCURRENT can move but not be taken off.
     */
    UpdateSecretVersionStageResponse updateSecretVersionStage(Caller caller, UpdateSecretVersionStageRequest request) {
        Secrets.requireLength("versionStage", request.versionStage(), 1, 256);
        String stage = request.versionStage();
        String moveTo = request.moveToVersionId();
        String removeFrom = request.removeFromVersionId();
        StoredSecret found = lookup.require(caller, "UpdateSecretVersionStage", request.secretId(), false);
        state.write(caller.scope(), tx -> {
            StoredSecret secret = SecretLookup.current(tx, found);
            String holder = SecretStages.holderOf(secret.versions(), stage);
            List<SecretVersion> versions;
            if (moveTo != null) {
                if (!secret.versionIdsToStages().containsKey(moveTo)) {
                    throw SecretsErrors.invalidParameter("The version " + moveTo + " doesn't exist.");
                }
                if (holder != null && !holder.equals(moveTo) && !holder.equals(removeFrom)) {
                    throw SecretsErrors.invalidParameter("The staging label " + stage + " is currently attached to "
                            + "version " + holder + ". You must specify this version ID in the RemoveFromVersionId "
                            + "parameter.");
                }
                versions = SecretStages.move(secret.versions(), stage, moveTo);
            } else {
                if (removeFrom == null || !removeFrom.equals(holder)) {
                    throw SecretsErrors.invalidParameter("The staging label " + stage + " is not attached to version "
                            + removeFrom + ".");
                }
                if (Secrets.CURRENT.equals(stage)) {
                    throw SecretsErrors.invalidParameter("You can't remove the staging label AWSCURRENT. Move it to "
                            + "another version with MoveToVersionId instead.");
                }
                versions = SecretStages.remove(secret.versions(), stage);
            }
            tx.put(Secrets.KIND, secret.name(), secret.withVersions(versions, clock.instant()));
            return null;
        });
        return UpdateSecretVersionStageResponse.builder().arn(found.arn()).name(found.name()).build();
    }

    GetRandomPasswordResponse getRandomPassword(Caller caller, GetRandomPasswordRequest request) {
        permissions.requireAny(caller, "GetRandomPassword");
        return GetRandomPasswordResponse.builder().randomPassword(passwords.generate(request)).build();
    }
}
