package io.berth.control.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

/**
 * What one task takes from a container instance: CPU units, MiB of memory, static host ports, and
 * the attributes the instance must carry.
 *
 * @param tcpPorts host ports as decimal strings, as ECS lists them in the {@code PORTS} resource
 * @param udpPorts host ports for the {@code PORTS_UDP} resource
 */
public record Demand(int cpu, int memory, Set<String> tcpPorts, Set<String> udpPorts,
        List<Attribute> requiredAttributes) {

    public Demand {
        tcpPorts = Set.copyOf(tcpPorts);
        udpPorts = Set.copyOf(udpPorts);
        requiredAttributes = List.copyOf(requiredAttributes);
    }

    /**
     * The demand of a task definition with its overrides applied. Task-level sizes win; otherwise
     * the containers' sizes add up, a container counting its soft limit (memoryReservation) when it
     * has one, as ECS reserves. Host ports count only when fixed: in bridge mode a hostPort of 0 or
     * none is chosen by Docker at start, in host mode the container port is the host port.
     */
    public static Demand of(TaskDefinition definition, TaskOverride overrides) {
        Map<String, ContainerOverride> byName = containerOverrides(overrides);
        int cpu = 0;
        int memory = 0;
        Set<String> tcp = new TreeSet<>();
        Set<String> udp = new TreeSet<>();
        boolean hostMode = "host".equals(definition.networkModeAsString());
        // An awsvpc task's ports are on its own address, not the host's.
        boolean ownAddress = "awsvpc".equals(definition.networkModeAsString());
        for (ContainerDefinition container : definition.containerDefinitions()) {
            ContainerOverride override = byName.get(container.name());
            cpu += orZero(first(override == null ? null : override.cpu(), container.cpu()));
            memory += containerMemory(container, override);
            for (PortMapping mapping : container.portMappings()) {
                Integer hostPort = hostMode && (mapping.hostPort() == null || mapping.hostPort() == 0)
                        ? mapping.containerPort() : mapping.hostPort();
                if (hostPort == null || hostPort == 0 || ownAddress) {
                    continue;
                }
                ("udp".equals(mapping.protocolAsString()) ? udp : tcp).add(String.valueOf(hostPort));
            }
        }
        Integer taskCpu = Sizes.taskCpu(definition, overrides);
        Integer taskMemory = Sizes.taskMemory(definition, overrides);
        return new Demand(taskCpu != null ? taskCpu : cpu, taskMemory != null ? taskMemory : memory, tcp, udp,
                definition.requiresAttributes());
    }

    /** The overrides by container name; null overrides mean none. */
    public static Map<String, ContainerOverride> containerOverrides(TaskOverride overrides) {
        if (overrides == null) {
            return Map.of();
        }
        return overrides.containerOverrides().stream()
                .collect(Collectors.toMap(ContainerOverride::name, Function.identity(), (a, b) -> b));
    }

    /** The memory a container reserves: its soft limit if set, else its hard limit, else none. */
    private static int containerMemory(ContainerDefinition container, ContainerOverride override) {
        Integer reservation = first(override == null ? null : override.memoryReservation(), container.memoryReservation());
        if (reservation != null) {
            return reservation;
        }
        return orZero(first(override == null ? null : override.memory(), container.memory()));
    }

    private static Integer first(Integer preferred, Integer fallback) {
        return preferred != null ? preferred : fallback;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    /** The ports of both protocols, for messages. */
    List<String> allPorts() {
        List<String> ports = new ArrayList<>(tcpPorts);
        ports.addAll(udpPorts);
        return ports;
    }
}
