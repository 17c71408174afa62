package io.berth.control.taskdef;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.LinuxParameters;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.Volume;

/**
 * A definition that requires FARGATE is held to Fargate's rules at registration, and refused in
 * ECS's words with a ClientException when it breaks one.
 */
class FargateRegistrationTest {

    private static final String EXECUTION_ROLE = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";

    private final Registrar registrar = new Registrar();

    @AfterEach
    void close() {
        registrar.close();
    }

    /** The smallest Fargate task: 0.25 vCPU and 512 MiB in awsvpc mode, with a web container. */
    private static RegisterTaskDefinitionRequest.Builder fargate(ContainerDefinition... containers) {
        return RegisterTaskDefinitionRequest.builder().family("web").requiresCompatibilitiesWithStrings("FARGATE")
                .networkMode("awsvpc").cpu("256").memory("512")
                .containerDefinitions(containers.length == 0 ? List.of(web(c -> c)) : List.of(containers));
    }

    private static ContainerDefinition web(UnaryOperator<ContainerDefinition.Builder> change) {
        return change.apply(ContainerDefinition.builder().name("web").image("nginx")).build();
    }

    private static RegisterTaskDefinitionRequest.Builder withWeb(UnaryOperator<ContainerDefinition.Builder> change) {
        return fargate(web(change));
    }

    private static RegisterTaskDefinitionRequest.Builder withLinux(UnaryOperator<LinuxParameters.Builder> change) {
        return withWeb(c -> c.linuxParameters(change.apply(LinuxParameters.builder()).build()));
    }

    private void assertRefused(RegisterTaskDefinitionRequest.Builder request, String message) {
        registrar.assertRefusedWith(request, message);
    }

    @Test
    void aFargateDefinitionRegistersAndListsEveryLaunchTypeItSuits() {
        TaskDefinition registered = registrar.register(fargate());

        assertThat(registered.requiresCompatibilitiesAsStrings()).containsExactly("FARGATE");
        assertThat(registered.compatibilitiesAsStrings()).containsExactly("EC2", "MANAGED_INSTANCES", "FARGATE");
        assertThat(registered.cpu()).isEqualTo("256");
        assertThat(registered.memory()).isEqualTo("512");
        assertThat(registered.containerDefinitions()).extracting(ContainerDefinition::memory).containsOnlyNulls();
    }

    @ParameterizedTest
    @CsvSource({"1 vCPU, 2 GB, 1024, 2048", "0.5 vcpu, 1GB, 512, 1024", "2 vCPU, 16 GB, 2048, 16384",
            "16 vCPU, 120 GB, 16384, 122880"})
    void theTaskSizeMayBeGivenInVcpusAndGigabytes(String cpu, String memory, String storedCpu, String storedMemory) {
        TaskDefinition registered = registrar.register(fargate().cpu(cpu).memory(memory));

        assertThat(registered.cpu()).isEqualTo(storedCpu);
        assertThat(registered.memory()).isEqualTo(storedMemory);
    }

    @Test
    void theTaskSizeIsRequired() {
        assertRefused(fargate().cpu(null), "Fargate requires that 'cpu' be defined at the task level.");
        assertRefused(withWeb(c -> c.memory(256)).memory(null),
                "Fargate requires that 'memory' be defined at the task level.");
    }

    @Test
    void theRulesOfEveryDefinitionComeFirst() {
        assertRefused(fargate().memory(null),
                "Invalid setting for container 'web'. At least one of 'memory' or 'memoryReservation' must be specified.");
        assertRefused(withWeb(c -> c.image(null)).cpu(null), "Container.image should not be null or empty.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bridge", "host", "none"})
    void theNetworkModeIsAwsvpc(String mode) {
        assertRefused(fargate().networkMode(mode), "Fargate only supports network mode \u2018awsvpc\u2019.");
    }

    @Test
    void aDefinitionWithoutNetworkModeIsBridgeAndNotForFargate() {
        assertRefused(fargate().networkMode((String) null), "Fargate only supports network mode \u2018awsvpc\u2019.");
    }

    /** Every cpu and memory pair Fargate offers: 74 of them. */
    static List<Arguments> offeredSizes() {
        List<Arguments> sizes = new ArrayList<>();
        List.of(512, 1024, 2048).forEach(memory -> sizes.add(Arguments.of(256, memory)));
        addSteps(sizes, 512, 1024, 4096, 1024);
        addSteps(sizes, 1024, 2048, 8192, 1024);
        addSteps(sizes, 2048, 4096, 16_384, 1024);
        addSteps(sizes, 4096, 8192, 30_720, 1024);
        addSteps(sizes, 8192, 16_384, 61_440, 4096);
        addSteps(sizes, 16_384, 32_768, 122_880, 8192);
        return sizes;
    }

    private static void addSteps(List<Arguments> sizes, int cpu, int from, int to, int step) {
        IntStream.iterate(from, memory -> memory <= to, memory -> memory + step)
                .forEach(memory -> sizes.add(Arguments.of(cpu, memory)));
    }

    @Test
    void theTableHoldsSeventyFourSizes() {
        assertThat(offeredSizes()).hasSize(74);
    }

    @ParameterizedTest
    @MethodSource("offeredSizes")
    void everySizeOfTheTableRegisters(int cpu, int memory) {
        TaskDefinition registered = registrar.register(fargate().cpu(Integer.toString(cpu)).memory(Integer.toString(memory)));

        assertThat(registered.compatibilitiesAsStrings()).contains("FARGATE");
    }

    @ParameterizedTest
    @CsvSource({"256, 4096", "256, 768", "512, 512", "512, 5120", "1024, 1024", "1024, 2560", "1024, 9216",
            "2048, 17408", "4096, 31744", "8192, 17408", "8192, 62464", "16384, 33792", "16384, 131072",
            "128, 512", "3072, 8192", "32768, 65536"})
    void sizesOutsideTheTableAreRefused(int cpu, int memory) {
        assertRefused(fargate().cpu(Integer.toString(cpu)).memory(Integer.toString(memory)),
                "No Fargate configuration exists for given values: " + cpu + " CPU, " + memory
                        + " memory. See the Amazon ECS documentation for the valid values.");
    }

    @Test
    void windowsTasksStartAtOneVcpuAndStopAtFour() {
        RegisterTaskDefinitionRequest.Builder windows = fargate()
                .runtimePlatform(p -> p.operatingSystemFamily("WINDOWS_SERVER_2022_CORE").cpuArchitecture("X86_64"));

        assertRefused(windows.cpu("256").memory("512"), "No Fargate configuration exists for given values: 256 CPU,"
                + " 512 memory. See the Amazon ECS documentation for the valid values.");
        assertRefused(windows.cpu("8192").memory("16384"), "No Fargate configuration exists for given values:"
                + " 8192 CPU, 16384 memory. See the Amazon ECS documentation for the valid values.");
        assertThat(registrar.register(windows.cpu("1024").memory("2048")).compatibilitiesAsStrings())
                .containsExactly("EC2", "FARGATE");
    }

    @Test
    void armTasksRunOnFargate() {
        TaskDefinition registered = registrar.register(fargate()
                .runtimePlatform(p -> p.operatingSystemFamily("LINUX").cpuArchitecture("ARM64")));

        assertThat(registered.runtimePlatform().cpuArchitectureAsString()).isEqualTo("ARM64");
    }

    @Test
    void pidModeIsTaskAndIpcModeIsNotSupported() {
        assertRefused(fargate().ipcMode("task"), "Tasks using the Fargate launch type do not support ipcMode.");
        assertRefused(fargate().pidMode("host"), "Tasks using the Fargate launch type do not support pidMode 'host'."
                + " The supported value for pidMode is 'task'.");
        assertThat(registrar.register(fargate().pidMode("task")).pidModeAsString()).isEqualTo("task");
    }

    @Test
    void placementConstraintsAreNotSupported() {
        assertRefused(fargate().placementConstraints(p -> p.type("memberOf").expression("attribute:ecs.os-type == linux")),
                "Fargate compatible task definitions do not support constraints");
    }

    @Test
    void volumesAreTaskStorageOnly() {
        assertRefused(fargate().volumes(Volume.builder().name("logs").host(h -> h.sourcePath("/var/log")).build()),
                "Fargate compatible task definitions do not support sourcePath");
        assertRefused(fargate().volumes(Volume.builder().name("data").dockerVolumeConfiguration(d -> d.scope("task"))
                .build()), "Fargate compatible task definitions do not support dockerVolumeConfiguration");
        TaskDefinition registered = registrar.register(fargate().volumes(Volume.builder().name("scratch")
                .host(h -> { }).build()));
        assertThat(registered.volumes()).extracting(Volume::name).containsExactly("scratch");
    }

    @Test
    void containersGetNoHostPrivileges() {
        assertRefused(withWeb(c -> c.privileged(true)), "Fargate compatible task definitions do not support privileged");
        assertRefused(withWeb(c -> c.dockerSecurityOptions("apparmor:unconfined")),
                "Fargate compatible task definitions do not support dockerSecurityOptions");
        assertRefused(withLinux(l -> l.devices(d -> d.hostPath("/dev/fuse"))),
                "Fargate compatible task definitions do not support devices");
        assertRefused(withLinux(l -> l.capabilities(k -> k.add("NET_ADMIN"))),
                "Fargate compatible task definitions only support adding the SYS_PTRACE capability.");
        assertRefused(withWeb(c -> c.resourceRequirements(r -> r.type("GPU").value("1"))),
                "Tasks using the Fargate launch type do not support GPU resource requirements");
        assertThat(registrar.register(withWeb(c -> c.privileged(false)
                .linuxParameters(l -> l.initProcessEnabled(true).capabilities(k -> k.add("SYS_PTRACE").drop("NET_RAW")))))
                .revision()).isEqualTo(1);
    }

    @Test
    void containersGetNoHostMemoryTuning() {
        assertRefused(withLinux(l -> l.sharedMemorySize(256)),
                "Fargate compatible task definitions do not support sharedMemorySize");
        assertRefused(withLinux(l -> l.tmpfs(t -> t.containerPath("/tmp").size(64))),
                "Fargate compatible task definitions do not support tmpfs");
        assertRefused(withLinux(l -> l.maxSwap(512)), "Fargate compatible task definitions do not support maxSwap");
        assertRefused(withLinux(l -> l.swappiness(10)), "Fargate compatible task definitions do not support swappiness");
    }

    @Test
    void containersUseTheTaskNetwork() {
        assertRefused(withWeb(c -> c.disableNetworking(true)),
                "Fargate compatible task definitions do not support disableNetworking");
        assertRefused(withWeb(c -> c.dnsServers("10.0.0.2")), "Fargate compatible task definitions do not support dnsServers");
        assertRefused(withWeb(c -> c.dnsSearchDomains("corp.example")),
                "Fargate compatible task definitions do not support dnsSearchDomains");
        assertRefused(fargate(web(c -> c.links("db")), web(c -> c.name("db"))),
                "Links are not supported when networkMode=awsvpc.");
        assertRefused(withWeb(c -> c.hostname("web")), "hostname is not supported on container when networkMode=awsvpc.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json-file", "syslog", "fluentd", "gelf", "journald"})
    void logsGoToAwslogsSplunkOrFirelensOnly(String driver) {
        assertRefused(withWeb(c -> c.logConfiguration(l -> l.logDriver(driver))),
                "Fargate compatible task definitions do not support log driver " + driver
                        + ". Supported log drivers are awslogs, splunk and awsfirelens.");
    }

    @Test
    void splunkAndFirelensNeedNoExecutionRole() {
        TaskDefinition registered = registrar.register(fargate(
                web(c -> c.logConfiguration(l -> l.logDriver("splunk").options(Map.of("splunk-url", "https://splunk.example:8088")))),
                web(c -> c.name("router").firelensConfiguration(f -> f.type("fluentbit"))
                        .logConfiguration(l -> l.logDriver("awsfirelens")))));

        assertThat(registered.containerDefinitions()).hasSize(2);
    }

    @Test
    void awslogsAndEcrImagesNeedAnExecutionRole() {
        RegisterTaskDefinitionRequest.Builder awslogs = withWeb(c -> c.logConfiguration(l -> l.logDriver("awslogs")));
        RegisterTaskDefinitionRequest.Builder fromEcr = withWeb(
                c -> c.image("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1"));

        assertRefused(awslogs, "Fargate requires task definition to have execution role ARN to support log driver awslogs.");
        assertRefused(fromEcr, "Fargate requires task definition to have execution role ARN to support ECR images.");
        assertThat(registrar.register(awslogs.executionRoleArn(EXECUTION_ROLE)).executionRoleArn()).isEqualTo(EXECUTION_ROLE);
        assertThat(registrar.register(fromEcr.executionRoleArn(EXECUTION_ROLE)).revision()).isEqualTo(2);
    }

    @Test
    void containersFitInTheTaskSize() {
        registrar.assertRefusedWith(withWeb(c -> c.memory(1024)),
                "The 'memory' setting for container 'web' is greater than for the task.");
        registrar.assertRefused(fargate(web(c -> c.memoryReservation(300)), web(c -> c.name("b").memoryReservation(300))),
                "exceeds the task memory");
        registrar.assertRefused(fargate(web(c -> c.cpu(200)), web(c -> c.name("b").cpu(100))), "exceeds the task cpu");
        assertThat(registrar.register(fargate(web(c -> c.cpu(128).memory(256)), web(c -> c.name("b").cpu(128)
                .memoryReservation(256)))).containerDefinitions()).hasSize(2);
    }

    @Test
    void aDefinitionMayRequireFargateAndEc2Together() {
        TaskDefinition registered = registrar.register(fargate().requiresCompatibilitiesWithStrings("EC2", "FARGATE"));

        assertThat(registered.requiresCompatibilitiesAsStrings()).containsExactly("EC2", "FARGATE");
        assertThat(registered.compatibilitiesAsStrings()).containsExactly("EC2", "MANAGED_INSTANCES", "FARGATE");
    }

    @Test
    void aRefusedFargateDefinitionTakesNoRevision() {
        assertRefused(fargate().memory("4096"), "No Fargate configuration exists for given values: 256 CPU, 4096 memory."
                + " See the Amazon ECS documentation for the valid values.");

        assertThat(registrar.register(fargate()).revision()).isEqualTo(1);
    }
}
