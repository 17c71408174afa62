package io.berth.control.fargate;

import io.berth.model.EcsException;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Failure;

/** The FARGATE launch type and the FARGATE and FARGATE_SPOT capacity providers, as requests name them. */
public final class FargateCapacity {

    public static final String LAUNCH_TYPE = "FARGATE";
    public static final Set<String> PROVIDERS = Set.of("FARGATE", "FARGATE_SPOT");

    /** What RunTask answers, in ECS's words, when no host of the pool has room for a task. */
    static final String UNAVAILABLE =
            "Capacity is unavailable at this time. Please try again later or in a different availability zone";

    private FargateCapacity() {
    }

    public static boolean isProvider(String name) {
        return PROVIDERS.contains(name);
    }

    /** Whether tasks of the strategy run on Fargate: it names FARGATE or FARGATE_SPOT. */
    public static boolean usesFargate(List<CapacityProviderStrategyItem> strategy) {
        return strategy.stream().anyMatch(item -> isProvider(item.capacityProvider()));
    }

    /** The launch type of a strategy's tasks: FARGATE on the Fargate providers, EC2 on any other. */
    public static String launchTypeOf(List<CapacityProviderStrategyItem> strategy) {
        return usesFargate(strategy) ? LAUNCH_TYPE : "EC2";
    }

    /** A strategy holds Fargate providers or the others, never both, as ECS requires. */
    public static void refuseMix(List<CapacityProviderStrategyItem> strategy) {
        boolean fargate = usesFargate(strategy);
        boolean others = strategy.stream().anyMatch(item -> !isProvider(item.capacityProvider()));
        if (fargate && others) {
            throw EcsException.invalidParameter("A capacity provider strategy cannot contain a mix of capacity "
                    + "providers using Auto Scaling groups and Fargate providers. Specify one or the other and try "
                    + "again.");
        }
    }

    /** Fargate places tasks itself: a Fargate launch takes no placement constraints or strategies, as in ECS. */
    public static void refusePlacementRules(String launchType, boolean constraints, boolean strategies) {
        if (!LAUNCH_TYPE.equals(launchType)) {
            return;
        }
        if (constraints) {
            throw EcsException.invalidParameter("Placement constraints are not supported with FARGATE launch type.");
        }
        if (strategies) {
            throw EcsException.invalidParameter("Placement strategies are not supported with FARGATE launch type.");
        }
    }

    /** The failure of a task no host of the pool has room for. */
    public static Failure unavailable() {
        return Failure.builder().reason(UNAVAILABLE).build();
    }
}
