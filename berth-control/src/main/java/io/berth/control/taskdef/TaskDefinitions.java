package io.berth.control.taskdef;

import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import io.berth.control.state.Region;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** The task-definition kind and the lookups other families use. */
public final class TaskDefinitions {

    /** Stored task definitions, keyed by {@link #key(String, int)}. */
    public static final Kind<TaskDefinition> KIND = Kinds.json("task-definition", TaskDefinition.class);

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
            List<TaskDefinition> revisions = revisions(region, familyAndRevision);
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
}
