package io.berth.control.secrets;

import io.berth.control.Caller;
import io.berth.control.state.State;
import io.berth.control.state.Transaction;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.RestoreSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.RestoreSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretResponse;

/** CreateSecret, PutSecretValue, UpdateSecret, DeleteSecret and RestoreSecret. */
final class SecretWrites {

    static final int DEFAULT_RECOVERY_DAYS = 30;

    /** A new version as made: its id and the labels it ended with. */
    private record Made(String versionId, List<String> stages) {
    }

    private final State state;
    private final SecretVault vault;
    private final SecretPermissions permissions;
    private final SecretLookup lookup;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    SecretWrites(State state, SecretVault vault, SecretPermissions permissions, SecretLookup lookup, Clock clock) {
        this.state = state;
        this.vault = vault;
        this.permissions = permissions;
        this.lookup = lookup;
        this.clock = clock;
    }

    CreateSecretResponse createSecret(Caller caller, CreateSecretRequest request) {
        String name = Secrets.requireValidName(request.name());
        checkDetails(request.description(), request.kmsKeyId());
        String token = token(request.clientRequestToken());
        SecretVault.Plain plain = SecretVault.plainOf(request.secretString(), request.secretBinary());
        Map<String, String> tags = SecretTags.of(request.hasTags() ? request.tags() : List.of());
        String arn = Secrets.newArn(caller.scope(), name, random);
        permissions.requireOn(caller, "CreateSecret", arn, null, tags, tags.keySet());
        String keyId = request.kmsKeyId() != null ? request.kmsKeyId() : Secrets.DEFAULT_KEY_ID;
        if (plain != null) {
            permissions.requireKey(caller, "GenerateDataKey", keyId);
        }
        Instant now = clock.instant();
        StoredSecret created = state.write(caller.scope(), tx -> {
            StoredSecret existing = tx.get(Secrets.KIND, name).orElse(null);
            if (existing != null && Secrets.purgeDue(existing, now)) {
                SecretLookup.purge(tx, existing);
            } else if (existing != null && existing.deleted()) {
                throw SecretsErrors.invalidRequest("You can't create this secret because a secret with this name is "
                        + "already scheduled for deletion.");
            } else if (existing != null) {
                throw SecretsErrors.exists("The operation failed because the secret " + name + " already exists.");
            }
            StoredSecret secret = new StoredSecret(name, arn, request.description(), request.kmsKeyId(), tags,
                    List.of(), now, now, null, null, null);
            if (plain != null) {
                secret = addVersion(tx, secret, token, plain, List.of(Secrets.CURRENT), now);
            }
            tx.put(Secrets.KIND, name, secret);
            return secret;
        });
        return CreateSecretResponse.builder().arn(created.arn()).name(created.name())
                .versionId(plain == null ? null : token).build();
    }

    PutSecretValueResponse putSecretValue(Caller caller, PutSecretValueRequest request) {
        String token = token(request.clientRequestToken());
        SecretVault.Plain plain = SecretVault.plainOf(request.secretString(), request.secretBinary());
        if (plain == null) {
            throw SecretsErrors.invalidRequest("You must provide either SecretString or SecretBinary.");
        }
        List<String> stages = stages(request.hasVersionStages() ? request.versionStages() : List.of(Secrets.CURRENT));
        StoredSecret found = lookup.require(caller, "PutSecretValue", request.secretId(), false);
        permissions.requireKey(caller, "GenerateDataKey", Secrets.keyIdOf(found));
        Instant now = clock.instant();
        Made made = state.write(caller.scope(), tx -> {
            StoredSecret secret = SecretLookup.current(tx, found);
            StoredSecret changed = addVersion(tx, secret, token, plain, stages, now);
            if (changed != secret) {
                tx.put(Secrets.KIND, secret.name(), changed);
            }
            return new Made(token, changed.versionIdsToStages().get(token));
        });
        return PutSecretValueResponse.builder().arn(found.arn()).name(found.name()).versionId(made.versionId())
                .versionStages(made.stages()).build();
    }

    UpdateSecretResponse updateSecret(Caller caller, UpdateSecretRequest request) {
        checkDetails(request.description(), request.kmsKeyId());
        String token = token(request.clientRequestToken());
        SecretVault.Plain plain = SecretVault.plainOf(request.secretString(), request.secretBinary());
        StoredSecret found = lookup.require(caller, "UpdateSecret", request.secretId(), false);
        String keyId = request.kmsKeyId() != null ? request.kmsKeyId() : Secrets.keyIdOf(found);
        if (plain != null) {
            permissions.requireKey(caller, "GenerateDataKey", keyId);
        }
        Instant now = clock.instant();
        state.write(caller.scope(), tx -> {
            StoredSecret secret = SecretLookup.current(tx, found);
            boolean detailsChange = request.description() != null || request.kmsKeyId() != null;
            if (detailsChange) {
                secret = secret.withDetails(request.description() != null ? request.description() : secret.description(),
                        request.kmsKeyId() != null ? request.kmsKeyId() : secret.kmsKeyId(), now);
            }
            StoredSecret changed = plain == null ? secret
                    : addVersion(tx, secret, token, plain, List.of(Secrets.CURRENT), now);
            if (detailsChange || changed != secret) {
                tx.put(Secrets.KIND, secret.name(), changed);
            }
            return null;
        });
        return UpdateSecretResponse.builder().arn(found.arn()).name(found.name()).versionId(plain == null ? null : token)
                .build();
    }

    DeleteSecretResponse deleteSecret(Caller caller, DeleteSecretRequest request) {
        Integer window = request.recoveryWindowInDays() == null ? null : request.recoveryWindowInDays().intValue();
        boolean force = Boolean.TRUE.equals(request.forceDeleteWithoutRecovery());
        if (window != null && force) {
            throw SecretsErrors.invalidParameter(
                    "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
        }
        if (window != null && (window < 7 || window > 30)) {
            throw SecretsErrors.invalidParameter(
                    "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        }
        StoredSecret found = lookup.require(caller, "DeleteSecret", request.secretId(), true);
        Instant now = clock.instant();
        Instant deletionDate = state.write(caller.scope(), tx -> {
            StoredSecret secret = SecretLookup.current(tx, found);
            if (force) {
                SecretLookup.purge(tx, secret);
                return now;
            }
            if (secret.deleted()) {
                throw SecretsErrors.markedForDeletion();
            }
            Instant purgeAt = now.plus(Duration.ofDays(window == null ? DEFAULT_RECOVERY_DAYS : window));
            tx.put(Secrets.KIND, secret.name(), secret.withDeletion(now, purgeAt));
            return purgeAt;
        });
        return DeleteSecretResponse.builder().arn(found.arn()).name(found.name()).deletionDate(deletionDate).build();
    }

    RestoreSecretResponse restoreSecret(Caller caller, RestoreSecretRequest request) {
        StoredSecret found = lookup.require(caller, "RestoreSecret", request.secretId(), true);
        state.write(caller.scope(), tx -> {
            StoredSecret secret = SecretLookup.current(tx, found);
            if (secret.deleted()) {
                tx.put(Secrets.KIND, secret.name(), secret.withDeletion(null, null));
            }
            return null;
        });
        return RestoreSecretResponse.builder().arn(found.arn()).name(found.name()).build();
    }

    /**
     * The secret with a new version holding the value and the stages moved onto it, its value stored. A version of
     * the same token (a repeated request) leaves the secret as it is when it holds the same value, and is refused
     * when it holds another.
     */
    private StoredSecret addVersion(Transaction tx, StoredSecret secret, String versionId, SecretVault.Plain plain,
            List<String> stages, Instant now) {
        if (secret.versionIdsToStages().containsKey(versionId)) {
            if (vault.holds(secret, SecretVault.valueOf(tx, secret, versionId), plain)) {
                return secret;
            }
            throw SecretsErrors.exists("You can't modify an existing version, you can only create a new version.");
        }
        tx.put(Secrets.VALUES, Secrets.valueId(secret.name(), versionId),
                vault.seal(secret, versionId, Secrets.keyIdOf(secret), plain));
        List<SecretVersion> versions = SecretStages.add(secret.versions(), new SecretVersion(versionId, now, List.of()),
                stages);
        List<SecretVersion> dropped = SecretStages.beyondLimit(versions);
        for (SecretVersion version : dropped) {
            tx.delete(Secrets.VALUES, Secrets.valueId(secret.name(), version.versionId()));
        }
        return secret.withVersions(versions.stream().filter(v -> !dropped.contains(v)).toList(), now);
    }

    private static void checkDetails(String description, String kmsKeyId) {
        if (description != null) {
            Secrets.requireLength("description", description, 0, 2048);
        }
        if (kmsKeyId != null) {
            Secrets.requireLength("kmsKeyId", kmsKeyId, 0, 2048);
        }
    }

    /** The version id a request asks for, or a new one when it gives none (the SDKs always give one). */
    private static String token(String clientRequestToken) {
        if (clientRequestToken == null) {
            return UUID.randomUUID().toString();
        }
        Secrets.requireLength("clientRequestToken", clientRequestToken, 32, 64);
        return clientRequestToken;
    }

    static List<String> stages(List<String> stages) {
        if (stages.isEmpty() || stages.size() > 20) {
            throw SecretsErrors.constraint("versionStages", null, stages.isEmpty()
                    ? "Member must have length greater than or equal to 1"
                    : "Member must have length less than or equal to 20");
        }
        for (String stage : stages) {
            Secrets.requireLength("versionStages.member", stage, 1, 256);
        }
        return stages.stream().distinct().toList();
    }
}
