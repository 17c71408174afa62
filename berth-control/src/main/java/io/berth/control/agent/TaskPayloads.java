package io.berth.control.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.model.Arns;
import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.AcsSecret;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.AcsVolume;
import io.berth.model.acs.ContainerDependency;
import io.berth.model.acs.DockerConfig;
import io.berth.model.acs.DockerVolumeConfiguration;
import io.berth.model.acs.ElasticNetworkInterface;
import io.berth.model.acs.HostVolume;
import io.berth.model.acs.MountPoint;
import io.berth.model.acs.PortMapping;
import io.berth.model.acs.RegistryAuthentication;
import io.berth.model.acs.VolumeFrom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.HealthCheck;
import software.amazon.awssdk.services.ecs.model.HostEntry;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LinuxParameters;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.Ulimit;
import software.amazon.awssdk.services.ecs.model.Volume;

/**
 * Builds the task an agent receives from a task, its task definition and the RunTask overrides.
 * The agent applies only the typed container members and whatever arrives in
 * {@code dockerConfig.config} / {@code dockerConfig.hostConfig} (Docker Engine API JSON), so every
 * other task-definition setting is translated into those two documents here.
 */
public final class TaskPayloads {

    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MIB = 1024L * 1024L;
    private static final String STREAM_PREFIX = "awslogs-stream-prefix";

    private final ObjectMapper json = JsonMapper.builder().build();

    /**
     * The task as its agent receives it. Its task-level {@code cpu} and {@code memory} are the task's own, absent
     * when neither its definition nor the overrides set them: an agent enforces them as the task's hard limits.
     */
    public AcsTask build(Task task, TaskDefinition definition, String desiredStatus) {
        return build(task, definition, desiredStatus, null);
    }

    /**
     * The task as its agent receives it, with its network interface when it runs in awsvpc mode.
     *
     * @param eni the task's interface, or null for a task without one
     */
    public AcsTask build(Task task, TaskDefinition definition, String desiredStatus, ElasticNetworkInterface eni) {
        Map<String, ContainerOverride> overrides = new LinkedHashMap<>();
        if (task.overrides() != null) {
            task.overrides().containerOverrides().forEach(o -> overrides.put(o.name(), o));
        }
        Map<String, String> containerArns = new LinkedHashMap<>();
        task.containers().forEach(c -> containerArns.put(c.name(), c.containerArn()));
        String networkMode = definition.networkModeAsString();
        String region = Arns.region(task.taskArn()).orElse(null);
        String taskId = task.taskArn().substring(task.taskArn().lastIndexOf('/') + 1);
        List<AcsContainer> containers = definition.containerDefinitions().stream()
                .map(d -> container(d, overrides.get(d.name()), containerArns.get(d.name()), networkMode, region,
                        taskId))
                .toList();
        String definitionArn = definition.taskDefinitionArn();
        return new AcsTask(task.taskArn(), task.clusterArn(), containers, desiredStatus, definition.family(),
                null, String.valueOf(definition.revision()), task.availabilityZone(), accountOf(definitionArn),
                definition.volumes().stream().map(TaskPayloads::volume).toList(), null, null,
                vcpus(task.cpu()), megabytes(task.memory()), definition.pidModeAsString(),
                definition.ipcModeAsString(), null, launchType(task), networkMode, serviceName(task.group()),
                task.group(), null, eni == null ? null : List.of(eni));
    }

    private AcsContainer container(ContainerDefinition d, ContainerOverride override, String containerArn,
            String networkMode, String region, String taskId) {
        Map<String, String> environment = new LinkedHashMap<>();
        d.environment().forEach(kv -> environment.put(kv.name(), kv.value()));
        List<String> command = d.hasCommand() ? d.command() : null;
        Integer cpu = d.cpu();
        Integer memory = d.memory();
        Integer memoryReservation = d.memoryReservation();
        if (override != null) {
            override.environment().forEach((KeyValuePair kv) -> environment.put(kv.name(), kv.value()));
            if (override.hasCommand()) {
                command = override.command();
            }
            cpu = override.cpu() != null ? override.cpu() : cpu;
            memory = override.memory() != null ? override.memory() : memory;
            memoryReservation = override.memoryReservation() != null ? override.memoryReservation() : memoryReservation;
        }
        // A task with its own address listens on its container ports, which AWS requires its host ports to equal.
        boolean ownAddress = "awsvpc".equals(networkMode);
        List<PortMapping> ports = d.portMappings().stream()
                .map(p -> new PortMapping(p.containerPort(), ownAddress ? p.containerPort() : p.hostPort(),
                        p.containerPortRange(), p.protocolAsString()))
                .toList();
        List<MountPoint> mounts = d.mountPoints().stream()
                .map(m -> new MountPoint(m.sourceVolume(), m.containerPath(), m.readOnly()))
                .toList();
        List<VolumeFrom> volumesFrom = d.volumesFrom().stream()
                .map(v -> new VolumeFrom(v.sourceContainer(), v.readOnly()))
                .toList();
        List<ContainerDependency> dependsOn = d.dependsOn().stream()
                .map(c -> new ContainerDependency(c.containerName(), c.conditionAsString()))
                .toList();
        DockerConfig dockerConfig =
                new DockerConfig(null, config(d), hostConfig(d, memoryReservation, networkMode, taskId));
        return new AcsContainer(d.name(), d.image(), command, d.hasEntryPoint() ? d.entryPoint() : null, cpu, memory,
                environment, d.essential() == null || d.essential(), d.hasLinks() ? d.links() : null, null, ports,
                mounts, volumesFrom, dockerConfig, d.healthCheck() != null ? "docker" : null, dependsOn,
                d.startTimeout(), d.stopTimeout(), null, containerArn, secrets(d, region),
                registryAuthentication(d, region));
    }

    /**
     * The container's {@code secrets} as environment variables, and its log configuration's {@code secretOptions}
     * for the log driver, each with the provider and region its {@code valueFrom} names.
     */
    private static List<AcsSecret> secrets(ContainerDefinition d, String region) {
        List<AcsSecret> secrets = new ArrayList<>();
        d.secrets().forEach(s -> secrets.add(secret(s, "ENVIRONMENT_VARIABLE", "CONTAINER", region)));
        if (d.logConfiguration() != null) {
            d.logConfiguration().secretOptions().forEach(s -> secrets.add(secret(s, "BOOTSTRAP", "LOG_DRIVER", region)));
        }
        return secrets.isEmpty() ? null : secrets;
    }

    private static AcsSecret secret(Secret secret, String type, String target, String region) {
        String valueFrom = secret.valueFrom();
        String service = Arns.isArn(valueFrom) ? valueFrom.split(":", 6)[2] : "ssm";
        return new AcsSecret(secret.name(), valueFrom, null, type, Arns.region(valueFrom).orElse(region),
                "secretsmanager".equals(service) ? "asm" : "ssm", target);
    }

    /** The login for a private registry: the Secrets Manager secret the task definition's repositoryCredentials name. */
    private static RegistryAuthentication registryAuthentication(ContainerDefinition d, String region) {
        if (d.repositoryCredentials() == null || d.repositoryCredentials().credentialsParameter() == null) {
            return null;
        }
        String parameter = d.repositoryCredentials().credentialsParameter();
        return new RegistryAuthentication(RegistryAuthentication.ASM,
                new RegistryAuthentication.AsmAuthData(parameter, Arns.region(parameter).orElse(region)));
    }

    /** The Docker container config: what the typed members cannot say. */
    private String config(ContainerDefinition d) {
        ObjectNode config = json.createObjectNode();
        putIfPresent(config, "User", d.user());
        putIfPresent(config, "WorkingDir", d.workingDirectory());
        putIfPresent(config, "Hostname", d.hostname());
        if (d.hasDockerLabels() && !d.dockerLabels().isEmpty()) {
            ObjectNode labels = config.putObject("Labels");
            d.dockerLabels().forEach(labels::put);
        }
        if (d.healthCheck() != null) {
            config.set("Healthcheck", healthcheck(d.healthCheck()));
        }
        if (d.interactive() != null) {
            config.put("OpenStdin", d.interactive());
        }
        if (d.pseudoTerminal() != null) {
            config.put("Tty", d.pseudoTerminal());
        }
        return config.isEmpty() ? null : config.toString();
    }

    private ObjectNode healthcheck(HealthCheck check) {
        ObjectNode node = json.createObjectNode();
        ArrayNode test = node.putArray("Test");
        check.command().forEach(test::add);
        node.put("Interval", seconds(check.interval(), 30));
        node.put("Timeout", seconds(check.timeout(), 5));
        node.put("Retries", check.retries() == null ? 3 : check.retries());
        node.put("StartPeriod", seconds(check.startPeriod(), 0));
        return node;
    }

    private static long seconds(Integer value, int otherwise) {
        return (value == null ? otherwise : value) * NANOS_PER_SECOND;
    }

    /** The Docker host config: limits, logging, privileges, network mode and the rest. */
    private String hostConfig(ContainerDefinition d, Integer memoryReservation, String networkMode, String taskId) {
        ObjectNode host = json.createObjectNode();
        if ("host".equals(networkMode) || "none".equals(networkMode)) {
            host.put("NetworkMode", networkMode);
        }
        if (memoryReservation != null) {
            host.put("MemoryReservation", memoryReservation * MIB);
        }
        if (d.logConfiguration() != null) {
            ObjectNode log = host.putObject("LogConfig");
            log.put("Type", d.logConfiguration().logDriverAsString());
            ObjectNode options = log.putObject("Config");
            logOptions(d.logConfiguration(), d.name(), taskId).forEach(options::put);
        }
        if (d.privileged() != null) {
            host.put("Privileged", d.privileged());
        }
        if (d.readonlyRootFilesystem() != null) {
            host.put("ReadonlyRootfs", d.readonlyRootFilesystem());
        }
        if (d.hasUlimits() && !d.ulimits().isEmpty()) {
            ArrayNode ulimits = host.putArray("Ulimits");
            for (Ulimit u : d.ulimits()) {
                ulimits.addObject().put("Name", u.nameAsString()).put("Soft", u.softLimit()).put("Hard", u.hardLimit());
            }
        }
        if (d.hasExtraHosts() && !d.extraHosts().isEmpty()) {
            ArrayNode hosts = host.putArray("ExtraHosts");
            for (HostEntry entry : d.extraHosts()) {
                hosts.add(entry.hostname() + ":" + entry.ipAddress());
            }
        }
        putList(host, "Dns", d.hasDnsServers() ? d.dnsServers() : null);
        putList(host, "DnsSearch", d.hasDnsSearchDomains() ? d.dnsSearchDomains() : null);
        putList(host, "SecurityOpt", d.hasDockerSecurityOptions() ? d.dockerSecurityOptions() : null);
        if (d.hasSystemControls() && !d.systemControls().isEmpty()) {
            ObjectNode sysctls = host.putObject("Sysctls");
            d.systemControls().forEach(s -> sysctls.put(s.namespace(), s.value()));
        }
        linuxParameters(host, d.linuxParameters());
        return host.isEmpty() ? null : host.toString();
    }

    /**
     * The log driver's options as Docker takes them. {@code awslogs-stream-prefix} is ECS's, not Docker's (Docker
     * refuses it), so, as ECS does, it becomes the stream {@code <prefix>/<container-name>/<task-id>}; a stream
     * named outright wins.
     */
    private static Map<String, String> logOptions(LogConfiguration log, String containerName, String taskId) {
        Map<String, String> options = new LinkedHashMap<>(log.options());
        if ("awslogs".equals(log.logDriverAsString())) {
            String prefix = options.remove(STREAM_PREFIX);
            if (prefix != null && !prefix.isEmpty()) {
                options.putIfAbsent("awslogs-stream", prefix + "/" + containerName + "/" + taskId);
            }
        }
        return options;
    }

    private void linuxParameters(ObjectNode host, LinuxParameters linux) {
        if (linux == null) {
            return;
        }
        if (linux.capabilities() != null) {
            putList(host, "CapAdd", linux.capabilities().hasAdd() ? linux.capabilities().add() : null);
            putList(host, "CapDrop", linux.capabilities().hasDrop() ? linux.capabilities().drop() : null);
        }
        if (linux.initProcessEnabled() != null) {
            host.put("Init", linux.initProcessEnabled());
        }
        if (linux.sharedMemorySize() != null) {
            host.put("ShmSize", linux.sharedMemorySize() * MIB);
        }
        if (linux.hasTmpfs() && !linux.tmpfs().isEmpty()) {
            ObjectNode tmpfs = host.putObject("Tmpfs");
            linux.tmpfs().forEach(t -> tmpfs.put(t.containerPath(),
                    String.join(",", t.hasMountOptions() ? t.mountOptions() : List.of()) + (t.size() == null ? ""
                            : (t.hasMountOptions() && !t.mountOptions().isEmpty() ? "," : "") + "size=" + t.size() + "m")));
        }
        if (linux.hasDevices() && !linux.devices().isEmpty()) {
            ArrayNode devices = host.putArray("Devices");
            linux.devices().forEach(dev -> devices.addObject()
                    .put("PathOnHost", dev.hostPath())
                    .put("PathInContainer", dev.containerPath() == null ? dev.hostPath() : dev.containerPath())
                    .put("CgroupPermissions", dev.hasPermissions() && !dev.permissions().isEmpty()
                            ? String.join("", dev.permissionsAsStrings()).replace("read", "r").replace("write", "w")
                                    .replace("mknod", "m")
                            : "rwm"));
        }
        if (linux.maxSwap() != null) {
            host.put("MemorySwap", linux.maxSwap() * MIB);
        }
        if (linux.swappiness() != null) {
            host.put("MemorySwappiness", linux.swappiness());
        }
    }

    private static AcsVolume volume(Volume volume) {
        if (volume.dockerVolumeConfiguration() != null) {
            var docker = volume.dockerVolumeConfiguration();
            return new AcsVolume(volume.name(), "docker", null, new DockerVolumeConfiguration(
                    docker.scopeAsString(), docker.autoprovision(), docker.driver(),
                    docker.hasDriverOpts() ? docker.driverOpts() : null, docker.hasLabels() ? docker.labels() : null));
        }
        String sourcePath = volume.host() == null ? null : volume.host().sourcePath();
        return new AcsVolume(volume.name(), "host", new HostVolume(sourcePath), null);
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(name, value);
        }
    }

    private static void putList(ObjectNode node, String name, List<String> values) {
        if (values != null && !values.isEmpty()) {
            ArrayNode array = node.putArray(name);
            values.forEach(array::add);
        }
    }

    private static Double vcpus(String cpuUnits) {
        return parse(cpuUnits).map(units -> units / 1024.0).orElse(null);
    }

    private static Integer megabytes(String memory) {
        return parse(memory).map(Double::intValue).orElse(null);
    }

    private static Optional<Double> parse(String number) {
        try {
            return number == null ? Optional.empty() : Optional.of(Double.parseDouble(number));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The task's launch type (EC2 or EXTERNAL), EC2 for a task recorded without one. */
    private static String launchType(Task task) {
        return task.launchTypeAsString() != null ? task.launchTypeAsString() : "EC2";
    }

    private static String accountOf(String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":");
        return parts.length > 4 ? parts[4] : null;
    }

    private static String serviceName(String group) {
        return group != null && group.startsWith("service:") ? group.substring("service:".length()) : null;
    }
}
