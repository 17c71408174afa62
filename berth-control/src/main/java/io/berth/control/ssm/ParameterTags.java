package io.berth.control.ssm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ssm.model.Tag;

/** SSM's rules for the tags of a parameter. */
final class ParameterTags {

    static final int MAX_TAGS = 50;
    private static final Pattern CHARACTERS = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private ParameterTags() {
    }

    /** The tags of a request as a map, checked; null means none. */
    static Map<String, String> of(List<Tag> tags) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (Tag tag : tags) {
            String key = tag.key();
            Parameters.requirePresent("tags.member.key", key, 128);
            if (tag.value() == null) {
                throw SsmErrors.constraint("tags.member.value", null, "Member must not be null");
            }
            if (tag.value().length() > 256) {
                throw SsmErrors.constraint("tags.member.value", null, "Member must have length less than or equal to 256");
            }
            if (!CHARACTERS.matcher(key).matches() || !CHARACTERS.matcher(tag.value()).matches()) {
                throw SsmErrors.constraint("tags.member.key", key,
                        "Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$");
            }
            if (key.regionMatches(true, 0, "aws:", 0, 4)) {
                throw SsmErrors.validation("Tag keys beginning with aws: are reserved.");
            }
            byKey.put(key, tag.value());
        }
        return byKey;
    }

    /** The existing tags with the added ones, or TooManyTagsError past {@link #MAX_TAGS}. */
    static Map<String, String> merged(Map<String, String> existing, Map<String, String> added) {
        Map<String, String> merged = new LinkedHashMap<>(existing);
        merged.putAll(added);
        if (merged.size() > MAX_TAGS) {
            throw SsmErrors.tooManyTags();
        }
        return merged;
    }

    static List<Tag> list(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }
}
