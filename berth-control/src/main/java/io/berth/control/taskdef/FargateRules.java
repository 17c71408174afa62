package io.berth.control.taskdef;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KernelCapabilities;
import software.amazon.awssdk.services.ecs.model.LinuxParameters;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.ResourceRequirement;
import software.amazon.awssdk.services.ecs.model.Volume;

/**
 * What Fargate asks of a task definition, checked once the rules every definition follows have
 * passed. A definition that requires FARGATE is refused with the first violation, in ECS's words;
 * any other definition that has none is still listed as FARGATE-compatible, as ECS lists it.
 */
final class FargateRules {

    private static final Set<String> LOG_DRIVERS = Set.of("awslogs", "splunk", "awsfirelens");
    /** The only capability a Fargate container may add. */
    private static final String SYS_PTRACE = "SYS_PTRACE";

    private FargateRules() {
    }

    /**
     * The first thing that keeps Fargate from running the definition, or empty when nothing does.
     * {@code cpu} and {@code memory} are the task size in CPU units and MiB, null when absent.
     */
    static Optional<String> violation(RegisterTaskDefinitionRequest request, String networkMode,
            Integer cpu, Integer memory) {
        if (cpu == null) {
            return Optional.of("Fargate requires that 'cpu' be defined at the task level.");
        }
        if (memory == null) {
            return Optional.of("Fargate requires that 'memory' be defined at the task level.");
        }
        if (!"awsvpc".equals(networkMode)) {
            return Optional.of("Fargate only supports network mode \u2018awsvpc\u2019.");
        }
        if (!FargateSizes.offers(cpu, memory, PlatformRules.isWindows(request))) {
            return Optional.of("No Fargate configuration exists for given values: " + cpu + " CPU, " + memory
                    + " memory. See the Amazon ECS documentation for the valid values.");
        }
        if (request.ipcModeAsString() != null) {
            return Optional.of("Tasks using the Fargate launch type do not support ipcMode.");
        }
        if (request.pidModeAsString() != null && !"task".equals(request.pidModeAsString())) {
            return Optional.of("Tasks using the Fargate launch type do not support pidMode '"
                    + request.pidModeAsString() + "'. The supported value for pidMode is 'task'.");
        }
        if (!request.placementConstraints().isEmpty()) {
            return unsupported("constraints");
        }
        for (Volume volume : request.volumes()) {
            if (volume.host() != null && volume.host().sourcePath() != null) {
                return unsupported("sourcePath");
            }
            if (volume.dockerVolumeConfiguration() != null) {
                return unsupported("dockerVolumeConfiguration");
            }
        }
        for (ContainerDefinition container : request.containerDefinitions()) {
            Optional<String> refused = containerViolation(container, request.executionRoleArn() != null);
            if (refused.isPresent()) {
                return refused;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> containerViolation(ContainerDefinition container, boolean hasExecutionRole) {
        if (Boolean.TRUE.equals(container.privileged())) {
            return unsupported("privileged");
        }
        if (Boolean.TRUE.equals(container.disableNetworking())) {
            return unsupported("disableNetworking");
        }
        if (!container.dnsServers().isEmpty()) {
            return unsupported("dnsServers");
        }
        if (!container.dnsSearchDomains().isEmpty()) {
            return unsupported("dnsSearchDomains");
        }
        if (!container.dockerSecurityOptions().isEmpty()) {
            return unsupported("dockerSecurityOptions");
        }
        Optional<String> linux = linuxParametersViolation(container.linuxParameters());
        if (linux.isPresent()) {
            return linux;
        }
        for (ResourceRequirement requirement : container.resourceRequirements()) {
            if ("GPU".equals(requirement.typeAsString())) {
                return Optional.of("Tasks using the Fargate launch type do not support GPU resource requirements");
            }
        }
        LogConfiguration log = container.logConfiguration();
        if (log != null && !LOG_DRIVERS.contains(log.logDriverAsString())) {
            return Optional.of("Fargate compatible task definitions do not support log driver "
                    + log.logDriverAsString() + ". Supported log drivers are awslogs, splunk and awsfirelens.");
        }
        if (log != null && "awslogs".equals(log.logDriverAsString()) && !hasExecutionRole) {
            return Optional.of("Fargate requires task definition to have execution role ARN to support log driver"
                    + " awslogs.");
        }
        if (container.image() != null && container.image().contains(".dkr.ecr.") && !hasExecutionRole) {
            return Optional.of("Fargate requires task definition to have execution role ARN to support ECR images.");
        }
        return Optional.empty();
    }

    private static Optional<String> linuxParametersViolation(LinuxParameters linux) {
        if (linux == null) {
            return Optional.empty();
        }
        if (!linux.devices().isEmpty()) {
            return unsupported("devices");
        }
        if (linux.sharedMemorySize() != null) {
            return unsupported("sharedMemorySize");
        }
        if (!linux.tmpfs().isEmpty()) {
            return unsupported("tmpfs");
        }
        if (linux.maxSwap() != null) {
            return unsupported("maxSwap");
        }
        if (linux.swappiness() != null) {
            return unsupported("swappiness");
        }
        KernelCapabilities capabilities = linux.capabilities();
        List<String> added = capabilities == null ? List.of() : capabilities.add();
        if (added.stream().anyMatch(capability -> !SYS_PTRACE.equals(capability))) {
            return Optional.of("Fargate compatible task definitions only support adding the SYS_PTRACE capability.");
        }
        return Optional.empty();
    }

    private static Optional<String> unsupported(String member) {
        return Optional.of("Fargate compatible task definitions do not support " + member);
    }
}
