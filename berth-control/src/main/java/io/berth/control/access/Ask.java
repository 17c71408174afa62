package io.berth.control.access;

import io.berth.control.iam.AccessRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.Tag;

/** One authorization request being put together: an action on a resource and its condition keys. */
final class Ask {

    private final String action;
    private final String resource;
    private final Lookup lookup;
    private final Map<String, List<String>> context;

    Ask(Lookup lookup, String action, String resource, Map<String, List<String>> globalKeys) {
        this.lookup = lookup;
        this.action = action;
        // A request that omits the resource it must name is asked on *; the operation then refuses it.
        this.resource = resource == null || resource.isEmpty() ? "*" : resource;
        this.context = new HashMap<>(globalKeys);
    }

    Ask key(String name, String value) {
        if (value != null) {
            context.put(name, List.of(value));
        }
        return this;
    }

    Ask key(String name, List<String> values) {
        if (values != null && !values.isEmpty()) {
            context.put(name, List.copyOf(values));
        }
        return this;
    }

    /** {@code ecs:cluster}: the ARN of the cluster the request acts in. */
    Ask cluster(String clusterArn) {
        return key("ecs:cluster", clusterArn);
    }

    /** {@code aws:ResourceTag/<key>} for each tag the resource carries now. */
    Ask resourceTags() {
        for (Tag tag : lookup.tagsOf(resource)) {
            context.put("aws:ResourceTag/" + tag.key(), List.of(tag.value() == null ? "" : tag.value()));
        }
        return this;
    }

    /** {@code aws:RequestTag/<key>} for each tag in the request, and {@code aws:TagKeys}. */
    Ask requestTags(List<Tag> tags) {
        if (tags == null || tags.isEmpty()) {
            return this;
        }
        for (Tag tag : tags) {
            if (tag.key() != null) {
                context.put("aws:RequestTag/" + tag.key(), List.of(tag.value() == null ? "" : tag.value()));
            }
        }
        return tagKeys(tags.stream().map(Tag::key).filter(k -> k != null).toList());
    }

    /** {@code aws:TagKeys}: the tag keys the request names. */
    Ask tagKeys(List<String> keys) {
        return key("aws:TagKeys", keys);
    }

    AccessRequest build() {
        return new AccessRequest(action, resource, context);
    }
}
