package io.berth.control.logs;

import io.berth.control.Caller;
import io.berth.control.JsonOperations;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogGroupRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogGroupResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.DeleteLogGroupRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DeleteLogGroupResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.DeleteRetentionPolicyRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DeleteRetentionPolicyResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroupClass;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutRetentionPolicyRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutRetentionPolicyResponse;

/** CreateLogGroup, DeleteLogGroup, DescribeLogGroups, PutRetentionPolicy and DeleteRetentionPolicy. */
final class GroupOperations {

    /** The retention periods Logs accepts, in days. */
    static final Set<Integer> RETENTION_DAYS = new LinkedHashSet<>(List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150,
            180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653));
    private static final int MAX_DESCRIBE = 50;
    /** How many groups a DescribeLogGroups with a name pattern reads at a time while it fills a page. */
    private static final int PATTERN_CHUNK = 1_000;

    private final LogStore store;
    private final LogsAccess access;
    private final Clock clock;

    GroupOperations(LogStore store, LogsAccess access, Clock clock) {
        this.store = store;
        this.access = access;
        this.clock = clock;
    }

    void addTo(JsonOperations operations) {
        operations.add("CreateLogGroup", CreateLogGroupRequest.class, this::createLogGroup);
        operations.add("DeleteLogGroup", DeleteLogGroupRequest.class, this::deleteLogGroup);
        operations.add("DescribeLogGroups", DescribeLogGroupsRequest.class, this::describeLogGroups);
        operations.add("PutRetentionPolicy", PutRetentionPolicyRequest.class, this::putRetentionPolicy);
        operations.add("DeleteRetentionPolicy", DeleteRetentionPolicyRequest.class, this::deleteRetentionPolicy);
    }

    CreateLogGroupResponse createLogGroup(Caller caller, CreateLogGroupRequest request) {
        String name = LogsErrors.groupName("logGroupName", request.logGroupName());
        String kmsKeyId = LogsErrors.length("kmsKeyId", request.kmsKeyId(), 0, 256);
        String logGroupClass = request.logGroupClassAsString() == null ? LogGroupClass.STANDARD.toString()
                : request.logGroupClassAsString();
        if (LogGroupClass.fromValue(logGroupClass) == LogGroupClass.UNKNOWN_TO_SDK_VERSION) {
            throw LogsErrors.constraint("logGroupClass", logGroupClass,
                    "Member must satisfy enum value set: " + LogGroupClass.knownValues());
        }
        Map<String, String> tags = request.hasTags() ? request.tags() : Map.of();
        TagOperations.checkTags(tags);
        access.onGroup(caller, "CreateLogGroup", name, TagOperations.requestKeys(tags.keySet(), tags));
        if (!store.createGroup(new StoredGroup.New(caller.scope().key(), name, clock.millis(), kmsKeyId,
                logGroupClass, tags))) {
            throw LogsErrors.groupExists();
        }
        return CreateLogGroupResponse.builder().build();
    }

    DeleteLogGroupResponse deleteLogGroup(Caller caller, DeleteLogGroupRequest request) {
        String name = LogsErrors.groupName("logGroupName", request.logGroupName());
        access.onGroup(caller, "DeleteLogGroup", name);
        if (!store.deleteGroup(caller.scope().key(), name)) {
            throw LogsErrors.groupNotFound();
        }
        return DeleteLogGroupResponse.builder().build();
    }

    DescribeLogGroupsResponse describeLogGroups(Caller caller, DescribeLogGroupsRequest request) {
        String prefix = LogsErrors.length("logGroupNamePrefix", request.logGroupNamePrefix(), 1, 512);
        String pattern = LogsErrors.length("logGroupNamePattern", request.logGroupNamePattern(), 0, 512);
        if (prefix != null && pattern != null) {
            throw LogsErrors.invalidParameter(
                    "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        }
        int limit = LogsErrors.limit("limit", request.limit(), MAX_DESCRIBE, MAX_DESCRIBE);
        String after = request.nextToken() == null ? null : LogTokens.decode(request.nextToken());
        access.onGroup(caller, "DescribeLogGroups", null);
        String scope = caller.scope().key();
        String needle = pattern == null ? null : pattern.toLowerCase(Locale.ROOT);
        String logGroupClass = request.logGroupClassAsString();
        Set<String> identifiers = request.hasLogGroupIdentifiers() ? identifiers(caller, request.logGroupIdentifiers())
                : null;
        boolean filtered = needle != null || logGroupClass != null || identifiers != null;
        int chunkSize = filtered ? PATTERN_CHUNK : limit + 1;
        List<LogGroup> page = new ArrayList<>();
        boolean more = false;
        while (true) {
            List<StoredGroup> chunk = store.groups(scope, prefix == null ? "" : prefix, after, chunkSize);
            for (StoredGroup group : chunk) {
                if ((needle != null && !group.name().toLowerCase(Locale.ROOT).contains(needle))
                        || (logGroupClass != null && !logGroupClass.equals(group.logGroupClass()))
                        || (identifiers != null && !identifiers.contains(group.name()))) {
                    after = group.name();
                    continue;
                }
                if (page.size() == limit) {
                    more = true;
                    break;
                }
                page.add(logGroup(caller, group));
                after = group.name();
            }
            if (more || chunk.size() < chunkSize) {
                break;
            }
        }
        return DescribeLogGroupsResponse.builder().logGroups(page)
                .nextToken(more ? LogTokens.encode(page.get(page.size() - 1).logGroupName()) : null).build();
    }

    private static Set<String> identifiers(Caller caller, List<String> identifiers) {
        LogsErrors.size("logGroupIdentifiers", identifiers, 1, 50);
        Set<String> names = new LinkedHashSet<>();
        for (String identifier : identifiers) {
            String name = identifier.startsWith("arn:") ? LogsAccess.groupNameOf(caller.scope(), identifier)
                    : identifier;
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    PutRetentionPolicyResponse putRetentionPolicy(Caller caller, PutRetentionPolicyRequest request) {
        String name = LogsErrors.groupName("logGroupName", request.logGroupName());
        Integer days = LogsErrors.required("retentionInDays", request.retentionInDays());
        if (!RETENTION_DAYS.contains(days)) {
            throw LogsErrors.constraint("retentionInDays", days, "Member must satisfy enum value set: "
                    + RETENTION_DAYS);
        }
        access.onGroup(caller, "PutRetentionPolicy", name);
        if (!store.setRetention(Groups.find(store, caller, name).id(), days)) {
            throw LogsErrors.groupNotFound();
        }
        return PutRetentionPolicyResponse.builder().build();
    }

    DeleteRetentionPolicyResponse deleteRetentionPolicy(Caller caller, DeleteRetentionPolicyRequest request) {
        String name = LogsErrors.groupName("logGroupName", request.logGroupName());
        access.onGroup(caller, "DeleteRetentionPolicy", name);
        if (!store.setRetention(Groups.find(store, caller, name).id(), null)) {
            throw LogsErrors.groupNotFound();
        }
        return DeleteRetentionPolicyResponse.builder().build();
    }

    static LogGroup logGroup(Caller caller, StoredGroup group) {
        String arn = LogsAccess.groupArn(caller.scope(), group.name());
        return LogGroup.builder()
                .logGroupName(group.name())
                .creationTime(group.creationTime())
                .retentionInDays(group.retentionInDays())
                .metricFilterCount(0)
                .arn(arn + ":*")
                .logGroupArn(arn)
                .storedBytes(group.storedBytes())
                .kmsKeyId(group.kmsKeyId())
                .logGroupClass(group.logGroupClass())
                .build();
    }
}
