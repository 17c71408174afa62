package io.berth.control.secrets;

import io.berth.control.Caller;
import io.berth.control.Paging;
import io.berth.control.state.State;
import io.berth.model.EcsException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsRequest;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SortOrderType;

/** GetSecretValue, DescribeSecret and ListSecrets. */
final class SecretReads {

    static final int MAX_LIST_RESULTS = 100;

    private final State state;
    private final SecretVault vault;
    private final SecretPermissions permissions;
    private final SecretLookup lookup;
    private final Clock clock;

    SecretReads(State state, SecretVault vault, SecretPermissions permissions, SecretLookup lookup, Clock clock) {
        this.state = state;
        this.vault = vault;
        this.permissions = permissions;
        this.lookup = lookup;
        this.clock = clock;
    }

    GetSecretValueResponse getSecretValue(Caller caller, GetSecretValueRequest request) {
        if (request.versionId() != null) {
            Secrets.requireLength("versionId", request.versionId(), 32, 64);
        }
        if (request.versionStage() != null) {
            Secrets.requireLength("versionStage", request.versionStage(), 1, 256);
        }
        StoredSecret secret = lookup.require(caller, "GetSecretValue", request.secretId(), false);
        SecretVersion version = select(secret, request.versionId(), request.versionStage());
        SecretValue value = SecretVault.valueOf(state.region(caller.scope()), secret, version.versionId());
        permissions.requireKey(caller, "Decrypt", value.keyId());
        SecretVault.Plain plain = vault.open(secret, value);
        noteAccess(caller, secret);
        return GetSecretValueResponse.builder().arn(secret.arn()).name(secret.name()).versionId(version.versionId())
                .secretString(plain.string()).secretBinary(plain.binary()).versionStages(version.stages())
                .createdDate(version.createdDate()).build();
    }

    DescribeSecretResponse describeSecret(Caller caller, DescribeSecretRequest request) {
        StoredSecret secret = lookup.require(caller, "DescribeSecret", request.secretId(), true);
        return DescribeSecretResponse.builder().arn(secret.arn()).name(secret.name()).description(secret.description())
                .kmsKeyId(secret.kmsKeyId()).lastChangedDate(secret.lastChangedDate())
                .lastAccessedDate(secret.lastAccessedDate()).deletedDate(secret.deletedDate())
                .tags(secret.tags().isEmpty() ? null : SecretTags.list(secret.tags()))
                .versionIdsToStages(secret.versionIdsToStages()).createdDate(secret.createdDate()).build();
    }

    ListSecretsResponse listSecrets(Caller caller, ListSecretsRequest request) {
        List<Filter> filters = SecretFilters.check(request.hasFilters() ? request.filters() : List.of());
        Integer max = request.maxResults();
        if (max != null && (max < 1 || max > MAX_LIST_RESULTS)) {
            throw SecretsErrors.constraint("maxResults", max, max < 1 ? "Member must have value greater than or equal to 1"
                    : "Member must have value less than or equal to " + MAX_LIST_RESULTS);
        }
        try {
            Paging.decode(request.nextToken());
        } catch (EcsException e) {
            throw SecretsErrors.invalidNextToken();
        }
        permissions.requireAny(caller, "ListSecrets");
        boolean descending = request.sortOrder() == SortOrderType.DESC;
        Function<StoredSecret, String> key = s -> String.format("%020d", descending
                ? Long.MAX_VALUE - s.createdDate().toEpochMilli() : s.createdDate().toEpochMilli()) + "/" + s.name();
        boolean includeDeleted = Boolean.TRUE.equals(request.includePlannedDeletion());
        Instant now = clock.instant();
        List<StoredSecret> listed = new ArrayList<>();
        for (StoredSecret secret : state.region(caller.scope()).all(Secrets.KIND)) {
            if (!Secrets.purgeDue(secret, now) && (includeDeleted || !secret.deleted())
                    && SecretFilters.matches(filters, secret)) {
                listed.add(secret);
            }
        }
        listed.sort(Comparator.comparing(key));
        Paging.Page<StoredSecret> page = Paging.page(listed, key, max, request.nextToken(), MAX_LIST_RESULTS,
                MAX_LIST_RESULTS);
        List<SecretListEntry> entries = page.items().stream().map(s -> SecretListEntry.builder().arn(s.arn())
                .name(s.name()).description(s.description()).kmsKeyId(s.kmsKeyId())
                .lastChangedDate(s.lastChangedDate()).lastAccessedDate(s.lastAccessedDate())
                .deletedDate(s.deletedDate()).tags(s.tags().isEmpty() ? null : SecretTags.list(s.tags()))
                .secretVersionsToStages(s.versionIdsToStages()).createdDate(s.createdDate()).build()).toList();
        return ListSecretsResponse.builder().secretList(entries).nextToken(page.nextToken()).build();
    }

    /** The version a request asks for: by id (which must hold the stage if one is named too), else by stage. */
    private static SecretVersion select(StoredSecret secret, String versionId, String stage) {
        if (versionId != null) {
            SecretVersion version = secret.versions().stream().filter(v -> v.versionId().equals(versionId)).findFirst()
                    .orElseThrow(() -> SecretsErrors.valueNotFound("VersionId: " + versionId));
            if (stage != null && !version.stages().contains(stage)) {
                throw SecretsErrors.valueNotFound("VersionId: " + versionId + " and staging label: " + stage);
            }
            return version;
        }
        String wanted = stage == null ? Secrets.CURRENT : stage;
        return secret.versions().stream().filter(v -> v.stages().contains(wanted)).findFirst()
                .orElseThrow(() -> SecretsErrors.valueNotFound("staging label: " + wanted));
    }

    /** Records the day of the access, as LastAccessedDate keeps it: one write per secret and day at most. */
    private void noteAccess(Caller caller, StoredSecret secret) {
        Instant today = clock.instant().truncatedTo(ChronoUnit.DAYS);
        if (today.equals(secret.lastAccessedDate())) {
            return;
        }
        state.write(caller.scope(), tx -> {
            tx.get(Secrets.KIND, secret.name()).filter(s -> s.arn().equals(secret.arn()))
                    .filter(s -> !today.equals(s.lastAccessedDate()))
                    .ifPresent(s -> tx.put(Secrets.KIND, s.name(), s.withLastAccessed(today)));
            return null;
        });
    }
}
