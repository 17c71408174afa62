package io.berth.control.capacity;

import io.berth.control.Scope;
import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import io.berth.control.state.Region;
import io.berth.control.tag.Taggable;
import io.berth.model.Arns;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.CapacityProvider;

/** The capacity-provider kind and the lookups clusters use to accept a provider. */
public final class CapacityProviders {

    /** Stored capacity providers of the account and region, keyed by name; deleted ones stay INACTIVE. */
    public static final Kind<CapacityProvider> KIND = Kinds.json("capacity-provider", CapacityProvider.class);

    /** Tags of capacity providers, by name; a deleted one keeps its tags. */
    public static final Taggable<CapacityProvider> TAGGABLE = Taggable.stored("capacity-provider", KIND,
            p -> "ACTIVE".equals(p.statusAsString()), CapacityProvider::tags,
            (p, tags) -> p.toBuilder().tags(tags).build());

    /** The providers every account has, which are not stored. */
    public static final Set<String> BUILT_IN = Set.of("FARGATE", "FARGATE_SPOT");

    static final String ACTIVE = "ACTIVE";
    static final String INACTIVE = "INACTIVE";

    private CapacityProviders() {
    }

    /** Whether a cluster may name the provider: a built-in one or an ACTIVE one of the scope. */
    public static boolean exists(Region region, String name) {
        return BUILT_IN.contains(name) || region.get(KIND, name).filter(p -> ACTIVE.equals(p.statusAsString())).isPresent();
    }

    static String arn(Scope scope, String name) {
        return scope.arn("capacity-provider/" + name);
    }

    /** The name a request means: the name itself or the name in an ARN of this scope. */
    static Optional<String> nameOf(Scope scope, String ref) {
        if (ref == null || ref.isEmpty()) {
            return Optional.empty();
        }
        if (!Arns.isArn(ref)) {
            return Optional.of(ref);
        }
        String prefix = scope.arn("capacity-provider/");
        return ref.startsWith(prefix) && ref.length() > prefix.length()
                ? Optional.of(ref.substring(prefix.length())) : Optional.empty();
    }
}
