package io.berth.agent;

import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.AcsSecret;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.AcsVolume;
import io.berth.model.acs.ContainerDependency;
import io.berth.model.acs.DockerConfig;
import io.berth.model.acs.ElasticNetworkInterface;
import io.berth.model.acs.MountPoint;
import io.berth.model.acs.PortMapping;
import io.berth.model.acs.RegistryAuthentication;
import io.berth.model.acs.VolumeFrom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Small builders for the ACS tasks the tests send. */
public final class AcsFixtures {

    /** The test image may hold nothing but {@code /bin/busybox}: give the shell its applets first. */
    private static final String INSTALL_APPLETS = "/bin/busybox --install -s /bin 2>/dev/null; ";

    private AcsFixtures() {
    }

    public static String taskArn(String cluster) {
        return "arn:aws:ecs:us-east-1:123456789012:task/" + cluster + "/" + UUID.randomUUID().toString().replace("-", "");
    }

    public static AcsTask task(String arn, List<AcsVolume> volumes, ContainerSpec... containers) {
        return new AcsTask(arn, null, Arrays.stream(containers).map(ContainerSpec::build).toList(), "RUNNING", "test",
                null, "1", null, "123456789012", volumes, null, null, null, null, null, null, null, null, "bridge",
                null, null, null, null);
    }

    public static AcsTask task(String arn, ContainerSpec... containers) {
        return task(arn, List.of(), containers);
    }

    public static AcsTask withDesiredStatus(AcsTask task, String desiredStatus) {
        return new AcsTask(task.arn(), task.taskClusterArn(), task.containers(), desiredStatus, task.family(),
                task.overrides(), task.version(), task.zone(), task.taskDefinitionAccountId(), task.volumes(),
                task.roleCredentials(), task.executionRoleCredentials(), task.cpu(), task.memory(), task.pidMode(),
                task.ipcMode(), task.agentConfiguration(), task.launchType(), task.networkMode(), task.serviceName(),
                task.group(), task.enableFaultInjection(), task.elasticNetworkInterfaces());
    }

    /** The task with a task-level size: {@code vcpu} in vCPUs, {@code memoryMib} in MiB (either may be null). */
    public static AcsTask withSize(AcsTask task, Double vcpu, Integer memoryMib) {
        return new AcsTask(task.arn(), task.taskClusterArn(), task.containers(), task.desiredStatus(), task.family(),
                task.overrides(), task.version(), task.zone(), task.taskDefinitionAccountId(), task.volumes(),
                task.roleCredentials(), task.executionRoleCredentials(), vcpu, memoryMib, task.pidMode(),
                task.ipcMode(), task.agentConfiguration(), task.launchType(), task.networkMode(), task.serviceName(),
                task.group(), task.enableFaultInjection(), task.elasticNetworkInterfaces());
    }

    /** The task in awsvpc network mode with the given interface. */
    public static AcsTask awsvpc(AcsTask task, ElasticNetworkInterface eni) {
        return new AcsTask(task.arn(), task.taskClusterArn(), task.containers(), task.desiredStatus(), task.family(),
                task.overrides(), task.version(), task.zone(), task.taskDefinitionAccountId(), task.volumes(),
                task.roleCredentials(), task.executionRoleCredentials(), task.cpu(), task.memory(), task.pidMode(),
                task.ipcMode(), task.agentConfiguration(), task.launchType(), "awsvpc", task.serviceName(),
                task.group(), task.enableFaultInjection(), List.of(eni));
    }

    /**
     * An interface with {@code address} on the /24 whose gateway is its {@code .1}, a MAC made from the address and
     * the private DNS name ECS gives it in us-east-1.
     */
    public static ElasticNetworkInterface eni(String address, boolean assignPublicIp) {
        String[] octets = address.split("\\.");
        String gateway = octets[0] + "." + octets[1] + "." + octets[2] + ".1/24";
        String mac = String.format("0a:58:%02x:%02x:%02x:%02x", Integer.parseInt(octets[0]),
                Integer.parseInt(octets[1]), Integer.parseInt(octets[2]), Integer.parseInt(octets[3]));
        return new ElasticNetworkInterface("arn:aws:ecs:us-east-1:123456789012:attachment/"
                + UUID.randomUUID(), "eni-0123456789abcdef0", 0, mac,
                List.of(new ElasticNetworkInterface.Ipv4Address(true, address)), gateway,
                "ip-" + address.replace('.', '-') + ".ec2.internal", null, null, "default", assignPublicIp);
    }

    /** A busybox container, essential, stopped after one second (busybox as PID 1 ignores SIGTERM). */
    public static ContainerSpec container(String name, String shellCommand) {
        return new ContainerSpec(name, shellCommand);
    }

    public static final class ContainerSpec {
        private final String name;
        private final String shellCommand;
        private boolean essential = true;
        private final List<PortMapping> ports = new ArrayList<>();
        private final List<String> links = new ArrayList<>();
        private final List<MountPoint> mounts = new ArrayList<>();
        private final List<VolumeFrom> volumesFrom = new ArrayList<>();
        private final List<ContainerDependency> dependsOn = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<AcsSecret> secrets = new ArrayList<>();
        private RegistryAuthentication registryAuthentication;
        private String hostConfig;
        private String config;
        private Integer memory;
        private String image = TestImages.BUSYBOX;

        private ContainerSpec(String name, String shellCommand) {
            this.name = name;
            this.shellCommand = shellCommand;
        }

        public ContainerSpec notEssential() {
            essential = false;
            return this;
        }

        public ContainerSpec port(int containerPort) {
            ports.add(new PortMapping(containerPort, 0, null, "tcp"));
            return this;
        }

        /** A port mapping as ECS sends one for awsvpc: the host port is the container port. */
        public ContainerSpec awsvpcPort(int containerPort) {
            ports.add(new PortMapping(containerPort, containerPort, null, "tcp"));
            return this;
        }

        public ContainerSpec link(String link) {
            links.add(link);
            return this;
        }

        public ContainerSpec mount(String volume, String path) {
            mounts.add(new MountPoint(volume, path, false));
            return this;
        }

        public ContainerSpec volumesFrom(String container) {
            volumesFrom.add(new VolumeFrom(container, false));
            return this;
        }

        public ContainerSpec dependsOn(String container, String condition) {
            dependsOn.add(new ContainerDependency(container, condition));
            return this;
        }

        public ContainerSpec env(String key, String value) {
            environment.put(key, value);
            return this;
        }

        /** An environment variable from an SSM parameter or a Secrets Manager secret, as ECS sends one. */
        public ContainerSpec secret(String name, String valueFrom) {
            String provider = valueFrom.startsWith("arn:aws:secretsmanager:") ? "asm" : "ssm";
            secrets.add(new AcsSecret(name, valueFrom, null, "ENVIRONMENT_VARIABLE", "us-east-1", provider,
                    "CONTAINER"));
            return this;
        }

        /** Pulls the image with the login held in a Secrets Manager secret. */
        public ContainerSpec repositoryCredentials(String credentialsParameter) {
            registryAuthentication = new RegistryAuthentication(RegistryAuthentication.ASM,
                    new RegistryAuthentication.AsmAuthData(credentialsParameter, "us-east-1"));
            return this;
        }

        public ContainerSpec hostConfig(String json) {
            hostConfig = json;
            return this;
        }

        public ContainerSpec config(String json) {
            config = json;
            return this;
        }

        /** Another image than the test image. */
        public ContainerSpec image(String reference) {
            image = reference;
            return this;
        }

        public ContainerSpec memory(int mib) {
            memory = mib;
            return this;
        }

        AcsContainer build() {
            DockerConfig docker = hostConfig == null && config == null ? null : new DockerConfig(null, config, hostConfig);
            return new AcsContainer(name, image, List.of("/bin/busybox", "sh", "-c", INSTALL_APPLETS + shellCommand), null, 10, memory,
                    environment, essential, links, "{}", ports, mounts, volumesFrom, docker, null, dependsOn, null, 1,
                    null, null, secrets.isEmpty() ? null : secrets, registryAuthentication);
        }
    }
}
