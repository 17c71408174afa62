package io.berth.control.ssm;

import io.berth.control.Caller;
import io.berth.control.crypto.Sealer;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.state.Transaction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import software.amazon.awssdk.services.ssm.model.DeleteParameterRequest;
import software.amazon.awssdk.services.ssm.model.DeleteParameterResponse;
import software.amazon.awssdk.services.ssm.model.DeleteParametersRequest;
import software.amazon.awssdk.services.ssm.model.DeleteParametersResponse;
import software.amazon.awssdk.services.ssm.model.ParameterTier;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;
import software.amazon.awssdk.services.ssm.model.PutParameterResponse;

/** PutParameter, DeleteParameter and DeleteParameters. */
final class ParameterWrites {

    static final int MAX_VERSIONS = 100;
    static final int STANDARD_VALUE_BYTES = 4096;
    static final int ADVANCED_VALUE_BYTES = 8192;
    static final int MAX_STANDARD_PARAMETERS = 10_000;
    private static final Set<String> DATA_TYPES = Set.of("text", "aws:ec2:image", "aws:ssm:integration");
    private static final Pattern KEY_ID = Pattern.compile("[a-zA-Z0-9:/_-]+");

    private final State state;
    private final Sealer sealer;
    private final ParameterPermissions permissions;
    private final Clock clock;

    ParameterWrites(State state, Sealer sealer, ParameterPermissions permissions, Clock clock) {
        this.state = state;
        this.sealer = sealer;
        this.permissions = permissions;
        this.clock = clock;
    }

    PutParameterResponse putParameter(Caller caller, PutParameterRequest request) {
        String name = Parameters.requireValidName("name", request.name());
        String value = request.value();
        if (value == null) {
            throw SsmErrors.sensitiveConstraint("value", "Member must not be null");
        }
        if (value.isEmpty()) {
            throw SsmErrors.sensitiveConstraint("value", "Member must have length greater than or equal to 1");
        }
        checkEnum("type", request.type(), request.typeAsString(), "[String, StringList, SecureString]");
        checkEnum("tier", request.tier(), request.tierAsString(), "[Standard, Advanced, Intelligent-Tiering]");
        checkLength("description", request.description(), 0, 1024);
        checkLength("allowedPattern", request.allowedPattern(), 0, 1024);
        checkLength("policies", request.policies(), 1, 4096);
        checkLength("dataType", request.dataType(), 0, 128);
        if (request.keyId() != null) {
            checkLength("keyId", request.keyId(), 1, 256);
            if (!KEY_ID.matcher(request.keyId()).matches()) {
                throw SsmErrors.constraint("keyId", request.keyId(),
                        "Member must satisfy regular expression pattern: ^([a-zA-Z0-9:/_-]+)$");
            }
        }
        if (request.dataType() != null && !DATA_TYPES.contains(request.dataType())) {
            throw SsmErrors.validation("The following data type is not supported: " + request.dataType()
                    + " (Data type names are all lowercase.)");
        }
        Pattern allowed = request.allowedPattern() == null ? null : compile(request.allowedPattern());
        boolean overwrite = Boolean.TRUE.equals(request.overwrite());
        Map<String, String> tags = ParameterTags.of(request.hasTags() ? request.tags() : List.of());
        if (overwrite && !tags.isEmpty()) {
            throw SsmErrors.validation("Invalid request: tags and overwrite can't be used together. To create a "
                    + "parameter with tags, please remove overwrite flag. To update tags for an existing parameter, "
                    + "please use AddTagsToResource or RemoveTagsFromResource.");
        }
        if (tags.size() > ParameterTags.MAX_TAGS) {
            throw SsmErrors.tooManyTags();
        }
        Region region = state.region(caller.scope());
        StoredParameter before = region.get(Parameters.KIND, name).orElse(null);
        ParameterVersion latestBefore = before == null ? null
                : Parameters.version(region, name, before.version()).orElse(null);
        ParameterType type = request.type() != null ? request.type() : latestBefore == null ? null : latestBefore.type();
        if (request.keyId() != null && type != ParameterType.SECURE_STRING) {
            throw SsmErrors.validation("KeyId is required for SecureString type parameter only.");
        }
        String keyId = type != ParameterType.SECURE_STRING ? null
                : request.keyId() != null ? request.keyId() : Parameters.DEFAULT_KEY_ID;
        permissions.require(caller, "PutParameter", name, before, tags, tags.keySet());
        if (type == ParameterType.SECURE_STRING) {
            permissions.requireKey(caller, "Encrypt", keyId);
        }
        return state.write(caller.scope(), tx -> {
            StoredParameter existing = tx.get(Parameters.KIND, name).orElse(null);
            ParameterVersion latest = existing == null ? null
                    : Parameters.version(tx.region(), name, existing.version()).orElse(null);
            if (existing != null && !overwrite) {
                throw SsmErrors.alreadyExists();
            }
            if (type == null) {
                throw SsmErrors.validation("A parameter type is required when you create a parameter.");
            }
            ParameterTier tier = tierOf(request, latest, value);
            if (existing == null && tier == ParameterTier.STANDARD && standardCount(tx.region()) >= MAX_STANDARD_PARAMETERS) {
                throw SsmErrors.limitExceeded();
            }
            Pattern pattern = allowed != null ? allowed
                    : latest != null && latest.allowedPattern() != null ? compile(latest.allowedPattern()) : null;
            if (pattern != null && !BoundedMatch.finds(pattern, value)) {
                throw SsmErrors.patternMismatch(pattern.pattern());
            }
            long version = existing == null ? 1 : existing.version() + 1;
            dropOldestBeyondLimit(tx, name);
            String description = request.description() != null ? request.description()
                    : latest == null ? null : latest.description();
            String dataType = request.dataType() != null ? request.dataType()
                    : latest == null ? "text" : latest.dataType();
            boolean secure = type == ParameterType.SECURE_STRING;
            String sealed = secure ? sealer.seal(value.getBytes(StandardCharsets.UTF_8), keyId,
                    Parameters.sealingContext(tx.scope(), name, version)) : null;
            ParameterVersion stored = new ParameterVersion(name, version, type, secure ? null : value, sealed, keyId,
                    description, pattern == null ? null : pattern.pattern(), tier, request.policies(), dataType,
                    clock.instant(), caller.principalArn(), List.of());
            tx.put(Parameters.VERSIONS, Parameters.versionId(name, version), stored);
            tx.put(Parameters.KIND, name, existing == null ? new StoredParameter(name, version, tier, tags)
                    : existing.withVersion(version, tier));
            return PutParameterResponse.builder().version(version).tier(tier).build();
        });
    }

    DeleteParameterResponse deleteParameter(Caller caller, DeleteParameterRequest request) {
        String name = Parameters.parseName(caller.scope(), state.region(caller.scope()), "name", request.name());
        permissions.require(caller, "DeleteParameter", name,
                state.region(caller.scope()).get(Parameters.KIND, name).orElse(null));
        state.write(caller.scope(), tx -> {
            if (!delete(tx, name)) {
                throw SsmErrors.notFound(name);
            }
            return null;
        });
        return DeleteParameterResponse.builder().build();
    }

    DeleteParametersResponse deleteParameters(Caller caller, DeleteParametersRequest request) {
        List<String> names = request.hasNames() ? request.names() : List.of();
        if (names.isEmpty() || names.size() > 10) {
            throw SsmErrors.constraint("names", null, names.isEmpty() ? "Member must have length greater than or equal to 1"
                    : "Member must have length less than or equal to 10");
        }
        Region region = state.region(caller.scope());
        Set<String> unique = new LinkedHashSet<>();
        for (String ref : names) {
            unique.add(Parameters.parseName(caller.scope(), region, "names.member", ref));
        }
        for (String name : unique) {
            permissions.require(caller, "DeleteParameters", name, region.get(Parameters.KIND, name).orElse(null));
        }
        List<String> deleted = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        state.write(caller.scope(), tx -> {
            for (String name : unique) {
                (delete(tx, name) ? deleted : invalid).add(name);
            }
            return null;
        });
        return DeleteParametersResponse.builder().deletedParameters(deleted).invalidParameters(invalid).build();
    }

    /** Removes the parameter and every version of it; false when there is none. */
    private static boolean delete(Transaction tx, String name) {
        if (tx.get(Parameters.KIND, name).isEmpty()) {
            return false;
        }
        for (ParameterVersion version : Parameters.versions(tx.region(), name)) {
            tx.delete(Parameters.VERSIONS, Parameters.versionId(name, version.version()));
        }
        tx.delete(Parameters.KIND, name);
        return true;
    }

    /** Makes room for one more version: the oldest goes once there are 100, unless a label holds it. */
    private static void dropOldestBeyondLimit(Transaction tx, String name) {
        List<ParameterVersion> versions = Parameters.versions(tx.region(), name);
        if (versions.size() < MAX_VERSIONS) {
            return;
        }
        ParameterVersion oldest = versions.get(0);
        if (!oldest.labels().isEmpty()) {
            throw SsmErrors.maxVersions(name);
        }
        tx.delete(Parameters.VERSIONS, Parameters.versionId(name, oldest.version()));
    }

    /**
     * The tier the new version gets: as asked, the existing tier when not asked, and for Intelligent-Tiering the
     * standard tier unless the value, a policy or the existing tier needs the advanced one. Advanced never goes back.
     */
    private static ParameterTier tierOf(PutParameterRequest request, ParameterVersion latest, String value) {
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        boolean wasAdvanced = latest != null && latest.tier() == ParameterTier.ADVANCED;
        ParameterTier asked = request.tier();
        ParameterTier tier;
        if (asked == ParameterTier.INTELLIGENT_TIERING) {
            tier = wasAdvanced || bytes > STANDARD_VALUE_BYTES || request.policies() != null
                    ? ParameterTier.ADVANCED : ParameterTier.STANDARD;
        } else {
            tier = asked != null ? asked : wasAdvanced ? ParameterTier.ADVANCED : ParameterTier.STANDARD;
        }
        if (wasAdvanced && tier == ParameterTier.STANDARD) {
            throw SsmErrors.validation("This parameter uses the advanced-parameter tier. You can't downgrade a "
                    + "parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you "
                    + "can delete the advanced parameter and recreate it as a standard parameter.");
        }
        if (tier == ParameterTier.STANDARD && bytes > STANDARD_VALUE_BYTES) {
            throw SsmErrors.validation("Standard tier parameters support a maximum parameter value of 4096 "
                    + "characters. To create a larger parameter value, upgrade the parameter to use the "
                    + "advanced-parameter tier.");
        }
        if (bytes > ADVANCED_VALUE_BYTES) {
            throw SsmErrors.sensitiveConstraint("value", "Member must have length less than or equal to "
                    + ADVANCED_VALUE_BYTES);
        }
        if (tier == ParameterTier.STANDARD && request.policies() != null) {
            throw SsmErrors.validation("Parameter policies are supported only for the advanced-parameter tier.");
        }
        return tier;
    }

    private static long standardCount(Region region) {
        return region.all(Parameters.KIND).stream().filter(p -> p.tier() == ParameterTier.STANDARD).count();
    }

    private static Pattern compile(String pattern) {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw SsmErrors.invalidAllowedPattern();
        }
    }

    private static void checkEnum(String member, Object parsed, String given, String allowed) {
        if (given != null && "UNKNOWN_TO_SDK_VERSION".equals(((Enum<?>) parsed).name())) {
            throw SsmErrors.constraint(member, given, "Member must satisfy enum value set: " + allowed);
        }
    }

    private static void checkLength(String member, String value, int min, int max) {
        if (value != null && (value.length() < min || value.length() > max)) {
            throw SsmErrors.constraint(member, value.length() > 256 ? null : value, value.length() < min
                    ? "Member must have length greater than or equal to " + min
                    : "Member must have length less than or equal to " + max);
        }
    }
}
