package io.berth.control.secrets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/** Secrets Manager's rules for the tags of a secret. */
final class SecretTags {

    static final int MAX_TAGS = 50;

    private SecretTags() {
    }

    static Map<String, String> of(List<Tag> tags) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (Tag tag : tags) {
            Secrets.requireLength("tags.member.key", tag.key(), 1, 128);
            String value = tag.value() == null ? "" : tag.value();
            if (value.length() > 256) {
                throw SecretsErrors.constraint("tags.member.value", null, "Member must have length less than or equal to 256");
            }
            if (tag.key().regionMatches(true, 0, "aws:", 0, 4)) {
                throw SecretsErrors.invalidParameter("Tag keys that start with aws: are reserved for AWS use.");
            }
            byKey.put(tag.key(), value);
        }
        return requireWithinLimit(byKey);
    }

    static Map<String, String> merged(Map<String, String> existing, Map<String, String> added) {
        Map<String, String> merged = new LinkedHashMap<>(existing);
        merged.putAll(added);
        return requireWithinLimit(merged);
    }

    static List<Tag> list(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static Map<String, String> requireWithinLimit(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw SecretsErrors.invalidParameter("A secret can have at most " + MAX_TAGS + " tags.");
        }
        return tags;
    }
}
