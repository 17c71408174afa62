package io.berth.control.secrets;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A secret as stored, without its values: its ARN (with the six characters that make it unique),
 * its versions oldest first with their staging labels, and its deletion, if scheduled. Each
 * version's value is a {@link SecretValue} of its own.
 *
 * @param kmsKeyId the key id asked for, or null for Secrets Manager's own key
 * @param deletionDate when a scheduled deletion purges it, or null
 */
record StoredSecret(String name, String arn, String description, String kmsKeyId, Map<String, String> tags,
        List<SecretVersion> versions, Instant createdDate, Instant lastChangedDate, Instant lastAccessedDate,
        Instant deletedDate, Instant deletionDate) {

    StoredSecret {
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags == null ? Map.of() : tags));
        versions = versions == null ? List.of() : List.copyOf(versions);
    }

    boolean deleted() {
        return deletedDate != null;
    }

    StoredSecret withVersions(List<SecretVersion> replaced, Instant changed) {
        return new StoredSecret(name, arn, description, kmsKeyId, tags, replaced, createdDate, changed,
                lastAccessedDate, deletedDate, deletionDate);
    }

    StoredSecret withTags(Map<String, String> replaced, Instant changed) {
        return new StoredSecret(name, arn, description, kmsKeyId, replaced, versions, createdDate, changed,
                lastAccessedDate, deletedDate, deletionDate);
    }

    StoredSecret withDetails(String newDescription, String newKmsKeyId, Instant changed) {
        return new StoredSecret(name, arn, newDescription, newKmsKeyId, tags, versions, createdDate, changed,
                lastAccessedDate, deletedDate, deletionDate);
    }

    StoredSecret withDeletion(Instant deleted, Instant purgedAt) {
        return new StoredSecret(name, arn, description, kmsKeyId, tags, versions, createdDate, lastChangedDate,
                lastAccessedDate, deleted, purgedAt);
    }

    StoredSecret withLastAccessed(Instant day) {
        return new StoredSecret(name, arn, description, kmsKeyId, tags, versions, createdDate, lastChangedDate, day,
                deletedDate, deletionDate);
    }

    /** The versions and their labels, as DescribeSecret's VersionIdsToStages. */
    Map<String, List<String>> versionIdsToStages() {
        Map<String, List<String>> stages = new LinkedHashMap<>();
        versions.forEach(v -> stages.put(v.versionId(), v.stages()));
        return stages;
    }
}
