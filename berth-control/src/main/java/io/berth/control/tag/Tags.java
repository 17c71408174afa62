package io.berth.control.tag;

import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.Tag;

/** The tag rules ECS applies to every taggable resource. */
public final class Tags {

    public static final int MAX_TAGS = 50;

    private Tags() {
    }

    /** Checks tags given at creation or by TagResource; null means none. */
    public static List<Tag> validate(List<Tag> tags) {
        if (tags == null) {
            return List.of();
        }
        if (tags.size() > MAX_TAGS) {
            throw EcsException.invalidParameter("A resource can have at most " + MAX_TAGS + " tags.");
        }
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (Tag tag : tags) {
            String key = tag.key();
            if (key == null || key.isEmpty() || key.length() > 128) {
                throw EcsException.invalidParameter("Tag keys must be between 1 and 128 characters.");
            }
            if (tag.value() != null && tag.value().length() > 256) {
                throw EcsException.invalidParameter("Tag values must be at most 256 characters.");
            }
            if (key.regionMatches(true, 0, "aws:", 0, 4)) {
                throw EcsException.invalidParameter("Tag keys beginning with 'aws:' are reserved.");
            }
            if (!keys.add(key)) {
                throw EcsException.invalidParameter("Duplicate tag key: " + key);
            }
        }
        return List.copyOf(tags);
    }

    /** The existing tags with the new ones added or replacing those of the same key. */
    public static List<Tag> merge(List<Tag> existing, List<Tag> added) {
        Map<String, Tag> byKey = new LinkedHashMap<>();
        existing.forEach(t -> byKey.put(t.key(), t));
        added.forEach(t -> byKey.put(t.key(), t));
        return validate(new ArrayList<>(byKey.values()));
    }

    public static List<Tag> without(List<Tag> existing, List<String> keys) {
        return existing.stream().filter(t -> !keys.contains(t.key())).toList();
    }

    /** The propagateTags a request gives (null where it gives none), or ECS's error for another value. */
    public static String validPropagateTags(String propagate) {
        if (propagate != null && !List.of("TASK_DEFINITION", "SERVICE", "NONE").contains(propagate)) {
            throw EcsException.invalidParameter("propagateTags must be one of TASK_DEFINITION, SERVICE, NONE.");
        }
        return propagate;
    }
}
