package io.berth.control.logs;

import io.berth.control.Caller;
import io.berth.control.JsonOperations;
import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudwatchlogs.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ListTagsLogGroupRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.ListTagsLogGroupResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.TagLogGroupRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.TagLogGroupResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.TagResourceRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.TagResourceResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.UntagLogGroupRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.UntagLogGroupResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.UntagResourceRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.UntagResourceResponse;

/**
 * The tags of log groups: TagResource, UntagResource and ListTagsForResource by the group's ARN, and
 * the older TagLogGroup, UntagLogGroup and ListTagsLogGroup by its name.
 */
final class TagOperations {

    static final int MAX_TAGS = 50;
    private static final String KEY_PATTERN = "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$";
    private static final String VALUE_PATTERN = "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$";
    private static final Pattern KEY = Pattern.compile(KEY_PATTERN);
    private static final Pattern VALUE = Pattern.compile(VALUE_PATTERN);

    private final LogStore store;
    private final LogsAccess access;

    TagOperations(LogStore store, LogsAccess access) {
        this.store = store;
        this.access = access;
    }

    void addTo(JsonOperations operations) {
        operations.add("TagResource", TagResourceRequest.class, this::tagResource);
        operations.add("UntagResource", UntagResourceRequest.class, this::untagResource);
        operations.add("ListTagsForResource", ListTagsForResourceRequest.class, this::listTagsForResource);
        operations.add("TagLogGroup", TagLogGroupRequest.class, this::tagLogGroup);
        operations.add("UntagLogGroup", UntagLogGroupRequest.class, this::untagLogGroup);
        operations.add("ListTagsLogGroup", ListTagsLogGroupRequest.class, this::listTagsLogGroup);
    }

    TagResourceResponse tagResource(Caller caller, TagResourceRequest request) {
        String name = groupOfArn(caller, request.resourceArn());
        tag(caller, "TagResource", name, request.hasTags() ? request.tags() : Map.of());
        return TagResourceResponse.builder().build();
    }

    UntagResourceResponse untagResource(Caller caller, UntagResourceRequest request) {
        String name = groupOfArn(caller, request.resourceArn());
        untag(caller, "UntagResource", name, request.hasTagKeys() ? request.tagKeys() : List.of(), "tagKeys");
        return UntagResourceResponse.builder().build();
    }

    ListTagsForResourceResponse listTagsForResource(Caller caller, ListTagsForResourceRequest request) {
        String name = groupOfArn(caller, request.resourceArn());
        access.onGroup(caller, "ListTagsForResource", name);
        return ListTagsForResourceResponse.builder().tags(store.tags(Groups.find(store, caller, name).id())).build();
    }

    TagLogGroupResponse tagLogGroup(Caller caller, TagLogGroupRequest request) {
        String name = LogsErrors.groupName("logGroupName", request.logGroupName());
        tag(caller, "TagLogGroup", name, request.hasTags() ? request.tags() : Map.of());
        return TagLogGroupResponse.builder().build();
    }

    UntagLogGroupResponse untagLogGroup(Caller caller, UntagLogGroupRequest request) {
        String name = LogsErrors.groupName("logGroupName", request.logGroupName());
        untag(caller, "UntagLogGroup", name, request.hasTags() ? request.tags() : List.of(), "tags");
        return UntagLogGroupResponse.builder().build();
    }

    ListTagsLogGroupResponse listTagsLogGroup(Caller caller, ListTagsLogGroupRequest request) {
        String name = LogsErrors.groupName("logGroupName", request.logGroupName());
        access.onGroup(caller, "ListTagsLogGroup", name);
        return ListTagsLogGroupResponse.builder().tags(store.tags(Groups.find(store, caller, name).id())).build();
    }

    private void tag(Caller caller, String operation, String name, Map<String, String> tags) {
        LogsErrors.size("tags", tags.keySet(), 1, MAX_TAGS);
        checkTags(tags);
        access.onGroup(caller, operation, name, requestKeys(tags.keySet(), tags));
        long groupId = Groups.find(store, caller, name).id();
        Map<String, String> merged = new LinkedHashMap<>(store.tags(groupId));
        merged.putAll(tags);
        if (merged.size() > MAX_TAGS) {
            throw new EcsException("TooManyTagsException", 400,
                    "A resource can have no more than " + MAX_TAGS + " tags.");
        }
        if (!store.setTags(groupId, merged)) {
            throw LogsErrors.groupNotFound();
        }
    }

    private void untag(Caller caller, String operation, String name, List<String> keys, String member) {
        LogsErrors.size(member, keys, 1, MAX_TAGS);
        access.onGroup(caller, operation, name, requestKeys(keys, Map.of()));
        long groupId = Groups.find(store, caller, name).id();
        Map<String, String> remaining = new LinkedHashMap<>(store.tags(groupId));
        keys.forEach(remaining::remove);
        if (!store.setTags(groupId, remaining)) {
            throw LogsErrors.groupNotFound();
        }
    }

    /** The group a tagging ARN names; an ARN of no group of this account and region names none. */
    private static String groupOfArn(Caller caller, String arn) {
        LogsErrors.length("resourceArn", LogsErrors.required("resourceArn", arn), 1, 1011);
        if (!arn.startsWith("arn:")) {
            throw LogsErrors.invalidParameter("Invalid resource ARN: " + arn);
        }
        String name = LogsAccess.groupNameOf(caller.scope(), arn);
        if (name == null || name.contains(":")) {
            throw LogsErrors.groupNotFound();
        }
        return LogsErrors.groupName("resourceArn", name);
    }

    /** Refuses tags whose keys or values Logs does not take. */
    static void checkTags(Map<String, String> tags) {
        LogsErrors.size("tags", tags.keySet(), 0, MAX_TAGS);
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            String key = tag.getKey();
            if (key.isEmpty() || key.length() > 128 || !KEY.matcher(key).matches()) {
                throw LogsErrors.constraint("tags", key, "Map keys must satisfy constraint: [Member must have length "
                        + "less than or equal to 128, Member must have length greater than or equal to 1, Member must "
                        + "satisfy regular expression pattern: " + KEY_PATTERN + "]");
            }
            String value = tag.getValue();
            if (value == null || value.length() > 256 || !VALUE.matcher(value).matches()) {
                throw LogsErrors.constraint("tags", value, "Map value must satisfy constraint: [Member must have "
                        + "length less than or equal to 256, Member must satisfy regular expression pattern: "
                        + VALUE_PATTERN + "]");
            }
        }
    }

    /** The condition keys of a request that sets or removes tags: {@code aws:TagKeys}, {@code aws:RequestTag/…}. */
    static Map<String, List<String>> requestKeys(Collection<String> keys, Map<String, String> tags) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> context = new LinkedHashMap<>();
        context.put("aws:TagKeys", new ArrayList<>(keys));
        tags.forEach((key, value) -> context.put("aws:RequestTag/" + key, List.of(value)));
        return context;
    }
}
