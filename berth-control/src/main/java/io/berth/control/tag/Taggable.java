package io.berth.control.tag;

import io.berth.control.state.Kind;
import io.berth.control.state.Region;
import io.berth.control.state.Transaction;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * How the tag operations reach one kind of resource. Each resource family that can be tagged
 * provides one, named by the resource type of its ARNs ({@code cluster}, {@code task}, ...).
 *
 * @param <T> the stored value
 */
public interface Taggable<T> {

    /** The resource type in the ARN: the part before the first {@code /}. */
    String resourceType();

    /**
     * The resource an ARN names, given the ARN's resource id (the part after {@code <type>/}),
     * including one deleted but still described; empty when there is none. Writes call it with the
     * region they hold the writer's lock of.
     */
    Optional<T> find(Region region, String resourceId);

    /** Whether the resource's tags may still change: a deleted resource keeps the tags it had. */
    boolean writable(T resource);

    List<Tag> tags(T resource);

    /** Stores the resource with exactly these tags. */
    void writeTags(Transaction tx, String resourceId, T resource, List<Tag> tags);

    /**
     * A resource stored as one value of a kind, keyed by its ARN's resource id.
     *
     * @param writable which stored values may still be tagged (deleted ones are kept a while)
     * @param tags reads the tags of a value; null reads as none
     * @param withTags a copy of a value with other tags
     */
    static <T> Taggable<T> stored(String resourceType, Kind<T> kind, Predicate<T> writable, Function<T, List<Tag>> tags,
            BiFunction<T, List<Tag>, T> withTags) {
        return new Taggable<>() {
            @Override
            public String resourceType() {
                return resourceType;
            }

            @Override
            public Optional<T> find(Region region, String resourceId) {
                return region.get(kind, resourceId);
            }

            @Override
            public boolean writable(T resource) {
                return writable.test(resource);
            }

            @Override
            public List<Tag> tags(T resource) {
                List<Tag> current = tags.apply(resource);
                return current == null ? List.of() : current;
            }

            @Override
            public void writeTags(Transaction tx, String resourceId, T resource, List<Tag> newTags) {
                tx.put(kind, resourceId, withTags.apply(resource, newTags));
            }
        };
    }
}
