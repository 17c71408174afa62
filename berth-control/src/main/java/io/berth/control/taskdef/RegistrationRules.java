package io.berth.control.taskdef;

import io.berth.model.EcsException;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerDependency;
import software.amazon.awssdk.services.ecs.model.MountPoint;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionPlacementConstraint;
import software.amazon.awssdk.services.ecs.model.VolumeFrom;

/**
 * The checks ECS makes before it registers a task definition. Every violation is a
 * ClientException, as in ECS, with a message that names the offending container or member.
 */
final class RegistrationRules {

    static final int MAX_CONTAINERS = 10;
    static final int MAX_SIZE_BYTES = 64 * 1024;
    static final int MIN_CONTAINER_MEMORY_MIB = 6;
    static final int MIN_TASK_CPU_UNITS = 128;
    static final int MAX_TASK_CPU_UNITS = 196_608;

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,255}");
    private static final Pattern INTEGER = Pattern.compile("\\d{1,9}");
    private static final Pattern VCPU = Pattern.compile("(\\d{1,6}(?:\\.\\d{1,4})?)\\s*vcpu");
    private static final Pattern GIGABYTES = Pattern.compile("(\\d{1,6}(?:\\.\\d{1,4})?)\\s*gb");
    private static final Pattern MEBIBYTES = Pattern.compile("(\\d{1,9})\\s*(?:mib|mb)");
    private static final Pattern PORT_RANGE = Pattern.compile("(\\d{1,5})-(\\d{1,5})");
    private static final Set<String> NETWORK_MODES = Set.of("bridge", "host", "awsvpc", "none");
    private static final Set<String> SUPPORTED_COMPATIBILITIES = Set.of(Compatibilities.EC2,
            Compatibilities.EXTERNAL, Compatibilities.FARGATE);
    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp");
    private static final Set<String> CONDITIONS = Set.of("START", "COMPLETE", "SUCCESS", "HEALTHY");
    private static final Set<String> PID_MODES = Set.of("host", "task");
    private static final Set<String> IPC_MODES = Set.of("host", "task", "none");

    private RegistrationRules() {
    }

    /** Checks a registration; {@code encodedSize} is the size in bytes of its JSON form. */
    static void check(RegisterTaskDefinitionRequest request, int encodedSize) {
        if (encodedSize > MAX_SIZE_BYTES) {
            throw invalid("Task definition size of " + encodedSize + " bytes exceeds the limit of "
                    + MAX_SIZE_BYTES + " bytes.");
        }
        checkFamily(request.family());
        checkCompatibilities(request);
        String networkMode = networkMode(request);
        checkTaskModes(request);
        checkPlacementConstraints(request);
        PlatformRules.check(request);
        Integer taskCpu = taskCpuUnits(request.cpu());
        Integer taskMemory = taskMemoryMib(request.memory());

        List<ContainerDefinition> containers = request.containerDefinitions();
        if (containers.isEmpty()) {
            throw invalid("Container list cannot be empty.");
        }
        if (containers.size() > MAX_CONTAINERS) {
            throw invalid("Too many containers: a task definition can have at most " + MAX_CONTAINERS
                    + " containers.");
        }
        Map<String, ContainerDefinition> byName = new LinkedHashMap<>();
        for (ContainerDefinition container : containers) {
            if (container.name() == null || container.name().isEmpty()) {
                throw invalid("Container.name should not be null or empty.");
            }
            if (!NAME.matcher(container.name()).matches()) {
                throw invalid("Container name '" + container.name() + "' is invalid. Up to 255 letters (uppercase"
                        + " and lowercase), numbers, hyphens, and underscores are allowed.");
            }
            if (byName.putIfAbsent(container.name(), container) != null) {
                throw invalid("Container names must be unique within a task definition: '" + container.name()
                        + "' appears more than once.");
            }
        }
        Set<String> volumes = volumeNames(request);
        boolean anyEssential = false;
        int cpuSum = 0;
        int memorySum = 0;
        for (ContainerDefinition container : containers) {
            if (container.image() == null || container.image().isBlank()) {
                throw invalid("Container.image should not be null or empty.");
            }
            anyEssential |= container.essential() == null || container.essential();
            checkMemory(container, taskMemory);
            if (container.cpu() != null && container.cpu() < 0) {
                throw invalid("Invalid 'cpu' setting for container '" + container.name()
                        + "'. The value must be zero or greater.");
            }
            cpuSum += container.cpu() == null ? 0 : container.cpu();
            memorySum += reservedMemory(container);
            checkPortMappings(container, networkMode);
            checkLinks(container, networkMode, byName.keySet());
            checkAwsvpcNaming(container, networkMode);
            checkDependencies(container, byName);
            checkVolumesFrom(container, byName.keySet());
            checkMountPoints(container, volumes);
        }
        if (!anyEssential) {
            throw invalid("At least one essential container is required.");
        }
        if (taskCpu != null && cpuSum > taskCpu) {
            throw invalid("The sum of the containers' cpu (" + cpuSum + ") exceeds the task cpu (" + taskCpu + ").");
        }
        if (taskMemory != null && memorySum > taskMemory) {
            throw invalid("The memory reserved by the containers (" + memorySum
                    + " MiB) exceeds the task memory (" + taskMemory + " MiB).");
        }
        if (request.requiresCompatibilitiesAsStrings().contains(Compatibilities.FARGATE)) {
            FargateRules.violation(request, networkMode, taskCpu, taskMemory).ifPresent(refusal -> {
                throw invalid(refusal);
            });
        }
    }

    /**
     * The task cpu as ECS stores it, in CPU units: {@code "512"} and {@code "0.5 vCPU"} both become
     * {@code "512"}. Null when absent.
     */
    static Integer taskCpuUnits(String cpu) {
        if (cpu == null) {
            return null;
        }
        String text = cpu.trim().toLowerCase(Locale.ROOT);
        int units;
        Matcher vcpu = VCPU.matcher(text);
        if (INTEGER.matcher(text).matches()) {
            units = Integer.parseInt(text);
        } else if (vcpu.matches()) {
            units = new BigDecimal(vcpu.group(1)).multiply(BigDecimal.valueOf(1024)).intValue();
        } else {
            throw invalid("Invalid 'cpu' setting for task: '" + cpu
                    + "'. Give CPU units (for example 1024) or vCPUs (for example 1 vCPU).");
        }
        if (units < MIN_TASK_CPU_UNITS || units > MAX_TASK_CPU_UNITS) {
            throw invalid("Invalid 'cpu' setting for task: task cpu must be between " + MIN_TASK_CPU_UNITS
                    + " and " + MAX_TASK_CPU_UNITS + " CPU units.");
        }
        return units;
    }

    /**
     * The task memory as ECS stores it, in MiB: {@code "1024"}, {@code "1024 MiB"} and {@code "1 GB"}
     * all become {@code "1024"}. Null when absent.
     */
    static Integer taskMemoryMib(String memory) {
        if (memory == null) {
            return null;
        }
        String text = memory.trim().toLowerCase(Locale.ROOT);
        Matcher gigabytes = GIGABYTES.matcher(text);
        Matcher mebibytes = MEBIBYTES.matcher(text);
        int mib;
        if (INTEGER.matcher(text).matches()) {
            mib = Integer.parseInt(text);
        } else if (mebibytes.matches()) {
            mib = Integer.parseInt(mebibytes.group(1));
        } else if (gigabytes.matches()) {
            mib = new BigDecimal(gigabytes.group(1)).multiply(BigDecimal.valueOf(1024)).intValue();
        } else {
            throw invalid("Invalid 'memory' setting for task: '" + memory
                    + "'. Give MiB (for example 512) or GB (for example 1 GB).");
        }
        if (mib < MIN_CONTAINER_MEMORY_MIB) {
            throw invalid("Invalid 'memory' setting for task: task memory must be at least "
                    + MIN_CONTAINER_MEMORY_MIB + " MiB.");
        }
        return mib;
    }

    /** The network mode the definition means; ECS treats an absent one as bridge on Linux. */
    static String networkMode(RegisterTaskDefinitionRequest request) {
        String mode = request.networkModeAsString();
        if (mode == null) {
            return "bridge";
        }
        if (!NETWORK_MODES.contains(mode)) {
            throw invalid("Invalid networkMode '" + mode + "'. Valid values are bridge, host, awsvpc and none.");
        }
        return mode;
    }

    private static void checkFamily(String family) {
        if (family == null || family.isEmpty()) {
            throw invalid("Family should not be null or empty.");
        }
        if (!NAME.matcher(family).matches()) {
            throw invalid("Family '" + family + "' is invalid. Up to 255 letters (uppercase and lowercase),"
                    + " numbers, hyphens, and underscores are allowed.");
        }
    }

    private static void checkCompatibilities(RegisterTaskDefinitionRequest request) {
        for (String compatibility : request.requiresCompatibilitiesAsStrings()) {
            if (!SUPPORTED_COMPATIBILITIES.contains(compatibility)) {
                throw invalid("Unsupported requiresCompatibilities value '" + compatibility
                        + "'. Berth supports EC2, EXTERNAL and FARGATE.");
            }
        }
    }

    private static void checkTaskModes(RegisterTaskDefinitionRequest request) {
        if (request.pidModeAsString() != null && !PID_MODES.contains(request.pidModeAsString())) {
            throw invalid("Invalid pidMode '" + request.pidModeAsString() + "'. Valid values are host and task.");
        }
        if (request.ipcModeAsString() != null && !IPC_MODES.contains(request.ipcModeAsString())) {
            throw invalid("Invalid ipcMode '" + request.ipcModeAsString()
                    + "'. Valid values are host, task and none.");
        }
    }

    private static void checkPlacementConstraints(RegisterTaskDefinitionRequest request) {
        if (request.placementConstraints().size() > 10) {
            throw invalid("A task definition can have at most 10 placement constraints.");
        }
        for (TaskDefinitionPlacementConstraint constraint : request.placementConstraints()) {
            if (!"memberOf".equals(constraint.typeAsString())) {
                throw invalid("Invalid placement constraint type '" + constraint.typeAsString()
                        + "'. Task definitions accept memberOf constraints only.");
            }
            if (constraint.expression() == null || constraint.expression().isBlank()) {
                throw invalid("A memberOf placement constraint requires an expression.");
            }
        }
    }

    private static Set<String> volumeNames(RegisterTaskDefinitionRequest request) {
        Set<String> names = new HashSet<>();
        request.volumes().forEach(volume -> {
            if (volume.name() == null || !NAME.matcher(volume.name()).matches()) {
                throw invalid("Volume name '" + volume.name() + "' is invalid. Up to 255 letters (uppercase and"
                        + " lowercase), numbers, hyphens, and underscores are allowed.");
            }
            if (!names.add(volume.name())) {
                throw invalid("Volume names must be unique: '" + volume.name() + "' appears more than once.");
            }
        });
        return names;
    }

    private static void checkMemory(ContainerDefinition container, Integer taskMemory) {
        Integer memory = container.memory();
        Integer reservation = container.memoryReservation();
        if (memory == null && reservation == null && taskMemory == null) {
            throw invalid("Invalid setting for container '" + container.name()
                    + "'. At least one of 'memory' or 'memoryReservation' must be specified.");
        }
        if (memory != null && memory < MIN_CONTAINER_MEMORY_MIB) {
            throw invalid("Invalid 'memory' setting for container '" + container.name()
                    + "'. The value must be at least " + MIN_CONTAINER_MEMORY_MIB + " MiB.");
        }
        if (reservation != null && reservation < MIN_CONTAINER_MEMORY_MIB) {
            throw invalid("Invalid 'memoryReservation' setting for container '" + container.name()
                    + "'. The value must be at least " + MIN_CONTAINER_MEMORY_MIB + " MiB.");
        }
        if (memory != null && reservation != null && reservation > memory) {
            throw invalid("Invalid setting for container '" + container.name()
                    + "'. 'memoryReservation' must be less than or equal to 'memory'.");
        }
        if (memory != null && taskMemory != null && memory > taskMemory) {
            throw invalid("The 'memory' setting for container '" + container.name() + "' is greater than for the task.");
        }
    }

    private static int reservedMemory(ContainerDefinition container) {
        if (container.memoryReservation() != null) {
            return container.memoryReservation();
        }
        return container.memory() == null ? 0 : container.memory();
    }

    private static void checkPortMappings(ContainerDefinition container, String networkMode) {
        Set<String> seen = new HashSet<>();
        for (PortMapping mapping : container.portMappings()) {
            String protocol = mapping.protocolAsString() == null ? "tcp" : mapping.protocolAsString();
            if (!PROTOCOLS.contains(protocol)) {
                throw invalid("Invalid protocol '" + protocol + "' in the port mappings of container '"
                        + container.name() + "'. Valid values are tcp and udp.");
            }
            if (mapping.containerPortRange() != null) {
                checkPortRange(container, mapping);
                continue;
            }
            if (mapping.containerPort() == null) {
                throw invalid("Invalid port mapping for container '" + container.name()
                        + "': containerPort or containerPortRange is required.");
            }
            checkPort(container, "containerPort", mapping.containerPort());
            if (mapping.hostPort() != null) {
                checkPort(container, "hostPort", mapping.hostPort());
            }
            if (("awsvpc".equals(networkMode) || "host".equals(networkMode)) && !hostPortFollowsContainerPort(mapping)) {
                throw invalid("When networkMode=" + networkMode
                        + ", the host ports and container ports in port mappings must match.");
            }
            if (!seen.add(mapping.containerPort() + "/" + protocol)) {
                throw invalid("Container '" + container.name() + "' maps container port " + mapping.containerPort()
                        + "/" + protocol + " more than once.");
            }
        }
    }

    /**
     * Whether a mapping in awsvpc or host mode has the container port as its host port: ECS takes an
     * absent or zero host port as the container port there.
     */
    private static boolean hostPortFollowsContainerPort(PortMapping mapping) {
        Integer hostPort = mapping.hostPort();
        return hostPort == null || hostPort == 0 || hostPort.equals(mapping.containerPort());
    }

    private static void checkPortRange(ContainerDefinition container, PortMapping mapping) {
        Matcher range = PORT_RANGE.matcher(mapping.containerPortRange());
        if (mapping.containerPort() != null || mapping.hostPort() != null) {
            throw invalid("Invalid port mapping for container '" + container.name()
                    + "': containerPortRange excludes containerPort and hostPort.");
        }
        if (!range.matches()) {
            throw invalid("Invalid containerPortRange '" + mapping.containerPortRange() + "' for container '"
                    + container.name() + "'. Give it as start-end, for example 8000-8010.");
        }
        int start = Integer.parseInt(range.group(1));
        int end = Integer.parseInt(range.group(2));
        checkPort(container, "containerPortRange", start);
        checkPort(container, "containerPortRange", end);
        if (start >= end) {
            throw invalid("Invalid containerPortRange '" + mapping.containerPortRange() + "' for container '"
                    + container.name() + "': the start must be lower than the end.");
        }
    }

    private static void checkPort(ContainerDefinition container, String member, int port) {
        if (port < 0 || port > 65535) {
            throw invalid("Invalid " + member + " " + port + " for container '" + container.name()
                    + "'. Ports must be between 0 and 65535.");
        }
    }

    private static void checkLinks(ContainerDefinition container, String networkMode, Set<String> names) {
        if (container.links().isEmpty()) {
            return;
        }
        if (!"bridge".equals(networkMode)) {
            throw invalid("Links are not supported when networkMode=" + networkMode + ".");
        }
        for (String link : container.links()) {
            String target = link.contains(":") ? link.substring(0, link.indexOf(':')) : link;
            if (!names.contains(target) || target.equals(container.name())) {
                throw invalid("Container '" + container.name() + "' links to '" + target
                        + "', which is not another container of this task definition.");
            }
        }
    }

    /** In awsvpc mode the task's network namespace names the host, as ECS words it. */
    private static void checkAwsvpcNaming(ContainerDefinition container, String networkMode) {
        if (!"awsvpc".equals(networkMode)) {
            return;
        }
        if (container.hostname() != null) {
            throw invalid("hostname is not supported on container when networkMode=awsvpc.");
        }
        if (!container.extraHosts().isEmpty()) {
            throw invalid("extraHosts is not supported on container when networkMode=awsvpc.");
        }
    }

    private static void checkDependencies(ContainerDefinition container, Map<String, ContainerDefinition> byName) {
        for (ContainerDependency dependency : container.dependsOn()) {
            ContainerDefinition target = byName.get(dependency.containerName());
            if (target == null || target == container) {
                throw invalid("Container '" + container.name() + "' depends on '" + dependency.containerName()
                        + "', which is not another container of this task definition.");
            }
            String condition = dependency.conditionAsString();
            if (condition == null || !CONDITIONS.contains(condition)) {
                throw invalid("Invalid dependency condition '" + condition + "' for container '" + container.name()
                        + "'. Valid values are START, COMPLETE, SUCCESS and HEALTHY.");
            }
            if ("HEALTHY".equals(condition) && target.healthCheck() == null) {
                throw invalid("Container '" + container.name() + "' waits for '" + target.name()
                        + "' to be HEALTHY, but '" + target.name() + "' has no health check.");
            }
        }
    }

    private static void checkVolumesFrom(ContainerDefinition container, Set<String> names) {
        for (VolumeFrom from : container.volumesFrom()) {
            if (from.sourceContainer() == null || !names.contains(from.sourceContainer())
                    || from.sourceContainer().equals(container.name())) {
                throw invalid("Container '" + container.name() + "' takes volumes from '" + from.sourceContainer()
                        + "', which is not another container of this task definition.");
            }
        }
    }

    private static void checkMountPoints(ContainerDefinition container, Set<String> volumes) {
        for (MountPoint mount : container.mountPoints()) {
            if (mount.sourceVolume() == null || !volumes.contains(mount.sourceVolume())) {
                throw invalid("Invalid 'mountPoints' setting for container '" + container.name()
                        + "'. The source volume '" + mount.sourceVolume() + "' is not a volume of this task definition.");
            }
            if (mount.containerPath() == null || mount.containerPath().isEmpty()) {
                throw invalid("Invalid 'mountPoints' setting for container '" + container.name()
                        + "'. containerPath is required.");
            }
        }
    }

    private static EcsException invalid(String message) {
        return EcsException.clientException(message);
    }
}
