package io.berth.control.taskdef;

import io.berth.control.state.Region;
import io.berth.control.state.Transaction;
import io.berth.control.tag.Taggable;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * Tags of task-definition revisions, kept apart from the definition under the revision's key. A
 * revision being deleted can no longer be tagged.
 */
public final class TaskDefinitionTags implements Taggable<TaskDefinitionTags.Tagged> {

    public static final TaskDefinitionTags TAGGABLE = new TaskDefinitionTags();

    /** One revision's key, status and tags. */
    public record Tagged(String key, String status, List<Tag> tags) {
    }

    private TaskDefinitionTags() {
    }

    @Override
    public String resourceType() {
        return "task-definition";
    }

    /** The resource id of a task-definition ARN is {@code family:revision}; a bare family names nothing to tag. */
    @Override
    public Optional<Tagged> find(Region region, String resourceId) {
        int colon = resourceId.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        int revision;
        try {
            revision = Integer.parseInt(resourceId.substring(colon + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String key = TaskDefinitions.key(resourceId.substring(0, colon), revision);
        return region.get(TaskDefinitions.KIND, key)
                .map(td -> new Tagged(key, td.statusAsString(), TaskDefinitions.tags(region, td)));
    }

    @Override
    public boolean writable(Tagged resource) {
        return !TaskDefinitions.DELETE_IN_PROGRESS.equals(resource.status());
    }

    @Override
    public List<Tag> tags(Tagged resource) {
        return resource.tags();
    }

    @Override
    public void writeTags(Transaction tx, String resourceId, Tagged resource, List<Tag> tags) {
        tx.put(TaskDefinitions.TAGS_KIND, resource.key(), new TaskDefinitions.RevisionTags(tags));
    }
}
