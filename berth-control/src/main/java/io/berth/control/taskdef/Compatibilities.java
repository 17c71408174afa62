package io.berth.control.taskdef;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * The launch types a registered definition validates against, which ECS lists as its
 * {@code compatibilities} whatever {@code requiresCompatibilities} asked for: EC2 always; EXTERNAL
 * unless it uses awsvpc; MANAGED_INSTANCES for a Linux definition that names the awsvpc or host
 * network mode; FARGATE when it follows every Fargate rule. Listed in the order ECS lists them.
 */
final class Compatibilities {

    static final String EC2 = "EC2";
    static final String EXTERNAL = "EXTERNAL";
    static final String FARGATE = "FARGATE";
    static final String MANAGED_INSTANCES = "MANAGED_INSTANCES";

    private Compatibilities() {
    }

    /** The compatibilities of a registration that passed {@link RegistrationRules#check}. */
    static List<String> of(RegisterTaskDefinitionRequest request, String networkMode, Integer cpu, Integer memory) {
        List<String> compatibilities = new ArrayList<>();
        if (!"awsvpc".equals(networkMode)) {
            compatibilities.add(EXTERNAL);
        }
        compatibilities.add(EC2);
        String namedMode = request.networkModeAsString();
        if (("awsvpc".equals(namedMode) || "host".equals(namedMode)) && !PlatformRules.isWindows(request)) {
            compatibilities.add(MANAGED_INSTANCES);
        }
        if (FargateRules.violation(request, networkMode, cpu, memory).isEmpty()) {
            compatibilities.add(FARGATE);
        }
        return List.copyOf(compatibilities);
    }

    /**
     * Whether tasks of the definition may run with the launch type. Berth's external instances run
     * awsvpc tasks too, which ECS Anywhere does not: an awsvpc definition, listed without EXTERNAL as
     * ECS lists it, still runs there. A definition stored without compatibilities runs with the
     * launch types it requires, or with any when it requires none.
     */
    static boolean allow(TaskDefinition definition, String launchType) {
        List<String> listed = definition.compatibilitiesAsStrings();
        if (listed.isEmpty()) {
            List<String> required = definition.requiresCompatibilitiesAsStrings();
            return required.isEmpty() || required.contains(launchType);
        }
        if (listed.contains(launchType)) {
            return true;
        }
        return EXTERNAL.equals(launchType) && "awsvpc".equals(definition.networkModeAsString())
                && listed.contains(EC2);
    }
}
