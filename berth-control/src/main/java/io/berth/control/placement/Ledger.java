package io.berth.control.placement;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Resource;

/**
 * The resource ledger of a container instance, kept in its {@code remainingResources}: CPU and
 * MEMORY count down as tasks are placed, PORTS and PORTS_UDP list the host ports in use (the
 * agent's reserved ports plus those of placed tasks). Placing a task {@link #claim claims} its
 * demand; a task that stopped {@link #release releases} exactly what it claimed.
 */
public final class Ledger {

    public static final String CPU = "CPU";
    public static final String MEMORY = "MEMORY";
    public static final String PORTS = "PORTS";
    public static final String PORTS_UDP = "PORTS_UDP";

    private Ledger() {
    }

    /** What the instance still has, falling back to what it registered when nothing was claimed yet. */
    static List<Resource> remaining(ContainerInstance instance) {
        return instance.hasRemainingResources() ? instance.remainingResources() : instance.registeredResources();
    }

    public static int remainingInteger(ContainerInstance instance, String name) {
        for (Resource r : remaining(instance)) {
            if (name.equals(r.name())) {
                return r.integerValue() != null ? r.integerValue()
                        : r.longValue() != null ? Math.toIntExact(r.longValue())
                        : r.doubleValue() != null ? r.doubleValue().intValue() : 0;
            }
        }
        return 0;
    }

    public static Set<String> usedPorts(ContainerInstance instance, String name) {
        for (Resource resource : remaining(instance)) {
            if (name.equals(resource.name())) {
                return resource.stringSetValue().isEmpty() ? Set.of() : new java.util.HashSet<>(resource.stringSetValue());
            }
        }
        return Set.of();
    }

    /** The ECS failure reason when the demand does not fit, checked CPU, memory, then ports. */
    public static Optional<String> shortfall(ContainerInstance instance, Demand demand) {
        return shortfall(new InstanceLoad(instance, java.util.Map.of()), demand);
    }

    static Optional<String> shortfall(InstanceLoad load, Demand demand) {
        if (load.remainingCpu() < demand.cpu()) {
            return Optional.of("RESOURCE:" + CPU);
        }
        if (load.remainingMemory() < demand.memory()) {
            return Optional.of("RESOURCE:" + MEMORY);
        }
        if (anyTaken(demand.tcpPorts(), load.usedTcpPorts())) {
            return Optional.of("RESOURCE:" + PORTS);
        }
        if (anyTaken(demand.udpPorts(), load.usedUdpPorts())) {
            return Optional.of("RESOURCE:" + PORTS_UDP);
        }
        return Optional.empty();
    }

    private static boolean anyTaken(Set<String> wanted, Set<String> used) {
        for (String port : wanted) {
            if (used.contains(port)) {
                return true;
            }
        }
        return false;
    }

    /** The instance with the demand taken from what remains; the caller checked it fits. */
    public static ContainerInstance claim(ContainerInstance instance, Claim claim) {
        return adjust(instance, claim, -1);
    }

    /** The instance with a claim given back. */
    public static ContainerInstance release(ContainerInstance instance, Claim claim) {
        return adjust(instance, claim, +1);
    }

    private static ContainerInstance adjust(ContainerInstance instance, Claim claim, int sign) {
        List<Resource> resources = new ArrayList<>(remaining(instance));
        update(resources, CPU, r -> r.toBuilder().integerValue(integer(r) + sign * claim.cpu()).build(),
                () -> integerResource(CPU, sign * claim.cpu()));
        update(resources, MEMORY, r -> r.toBuilder().integerValue(integer(r) + sign * claim.memory()).build(),
                () -> integerResource(MEMORY, sign * claim.memory()));
        if (!claim.tcpPorts().isEmpty()) {
            update(resources, PORTS, r -> ports(r, claim.tcpPorts(), sign), () -> portsResource(PORTS, claim.tcpPorts(), sign));
        }
        if (!claim.udpPorts().isEmpty()) {
            update(resources, PORTS_UDP, r -> ports(r, claim.udpPorts(), sign),
                    () -> portsResource(PORTS_UDP, claim.udpPorts(), sign));
        }
        // A change of resources is a change of the instance, which ECS counts in its version.
        return instance.toBuilder().remainingResources(resources)
                .version(instance.version() == null ? null : instance.version() + 1).build();
    }

    private static void update(List<Resource> resources, String name, UnaryOperator<Resource> change,
            java.util.function.Supplier<Resource> absent) {
        for (int i = 0; i < resources.size(); i++) {
            if (name.equals(resources.get(i).name())) {
                resources.set(i, change.apply(resources.get(i)));
                return;
            }
        }
        resources.add(absent.get());
    }

    private static int integer(Resource resource) {
        return resource.integerValue() == null ? 0 : resource.integerValue();
    }

    /** Keeps the order the ports had, so that a claim and its release leave the list as it was. */
    private static Resource ports(Resource resource, Set<String> ports, int sign) {
        Set<String> used = new LinkedHashSet<>(resource.stringSetValue());
        if (sign < 0) {
            used.addAll(new TreeSet<>(ports));
        } else {
            used.removeAll(ports);
        }
        return resource.toBuilder().stringSetValue(List.copyOf(used)).build();
    }

    private static Resource integerResource(String name, int value) {
        return Resource.builder().name(name).type("INTEGER").integerValue(value).build();
    }

    private static Resource portsResource(String name, Set<String> ports, int sign) {
        return Resource.builder().name(name).type("STRINGSET")
                .stringSetValue(sign < 0 ? List.copyOf(new TreeSet<>(ports)) : List.of()).build();
    }
}
