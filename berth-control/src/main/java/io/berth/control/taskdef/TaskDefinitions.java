package io.berth.control.taskdef;

import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import io.berth.control.state.Region;
import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** The task-definition kind and the lookups other families use. */
public final class TaskDefinitions {

    /** Stored task definitions, keyed by {@link #key(String, int)}. */
    public static final Kind<TaskDefinition> KIND = Kinds.json("task-definition", TaskDefinition.class);

    /**
     * One family: its name and the highest revision ever registered in it, so that a new revision
     * never reuses a number, whatever happened to the older ones. Keyed by family name.
     */
    public record Family(String name, int lastRevision) {
    }

    public static final Kind<Family> FAMILY_KIND = Kinds.json("task-definition-family", Family.class);

    /** The tags of one revision, kept apart from the definition as ECS does; keyed like {@link #KIND}. */
    public record RevisionTags(List<Tag> tags) {

        public RevisionTags {
            tags = List.copyOf(tags);
        }
    }

    public static final Kind<RevisionTags> TAGS_KIND = Kinds.json("task-definition-tags", RevisionTags.class);

    public static final String ACTIVE = "ACTIVE";
    public static final String INACTIVE = "INACTIVE";
    public static final String DELETE_IN_PROGRESS = "DELETE_IN_PROGRESS";

    private TaskDefinitions() {
    }

    /**
     * The id of one revision: the family, a space (which no family name holds and which sorts before
     * every character a family may hold, so one family's revisions stay together), and the revision
     * zero-padded so that ids sort by number.
     */
    public static String key(String family, int revision) {
        return family + " " + String.format("%010d", revision);
    }

    /** The key of a stored task definition. */
    public static String key(TaskDefinition taskDefinition) {
        return key(taskDefinition.family(), taskDefinition.revision());
    }

    /** The tags of a task definition; empty when it has none. */
    public static List<Tag> tags(Region region, TaskDefinition taskDefinition) {
        return region.get(TAGS_KIND, key(taskDefinition)).map(RevisionTags::tags).orElse(List.of());
    }

    /** All revisions of a family, oldest first. */
    public static List<TaskDefinition> revisions(Region region, String family) {
        return new ArrayList<>(region.withPrefix(KIND, family + " "));
    }

    /**
     * The task definition a request names: {@code family:revision}, a task-definition ARN of this
     * scope, or a bare family for its latest ACTIVE revision.
     */
    public static Optional<TaskDefinition> resolve(Region region, String reference) {
        if (reference == null || reference.isEmpty()) {
            return Optional.empty();
        }
        String familyAndRevision = reference;
        if (reference.startsWith("arn:")) {
            String prefix = region.scope().arn("task-definition/");
            if (!reference.startsWith(prefix)) {
                return Optional.empty();
            }
            familyAndRevision = reference.substring(prefix.length());
        }
        int colon = familyAndRevision.lastIndexOf(':');
        if (colon < 0) {
            String family = familyAndRevision;
            // Nearly always the last revision registered: two lookups instead of reading every revision.
            Optional<TaskDefinition> last = region.get(FAMILY_KIND, family)
                    .flatMap(f -> region.get(KIND, key(family, f.lastRevision())))
                    .filter(td -> ACTIVE.equals(td.statusAsString()));
            if (last.isPresent()) {
                return last;
            }
            List<TaskDefinition> revisions = revisions(region, family);
            for (int i = revisions.size() - 1; i >= 0; i--) {
                if (ACTIVE.equals(revisions.get(i).statusAsString())) {
                    return Optional.of(revisions.get(i));
                }
            }
            return Optional.empty();
        }
        try {
            int revision = Integer.parseInt(familyAndRevision.substring(colon + 1));
            return region.get(KIND, key(familyAndRevision.substring(0, colon), revision));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The task definition a new task or service runs, with the error ECS gives where there is none
     * or it cannot run here: it must be ACTIVE and compatible with the launch type. ECS words these
     * refusals alike for tasks and services, so {@code runners} ("Tasks", "Services") changes none.
     */
    public static TaskDefinition requireRunnable(Region region, String reference, String launchType, String runners) {
        TaskDefinition definition = resolve(region, reference)
                .orElseThrow(() -> EcsException.clientException("TaskDefinition not found."));
        if (!ACTIVE.equals(definition.statusAsString())) {
            throw EcsException.clientException("TaskDefinition is inactive");
        }
        if (!Compatibilities.allow(definition, launchType)) {
            throw EcsException.invalidParameter("Task definition does not support launch_type " + launchType + ".");
        }
        return definition;
    }
}
