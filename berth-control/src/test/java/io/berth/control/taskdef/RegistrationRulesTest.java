package io.berth.control.taskdef;

import static io.berth.control.taskdef.Registrar.container;
import static io.berth.control.taskdef.Registrar.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerDependency;
import software.amazon.awssdk.services.ecs.model.HealthCheck;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.MountPoint;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.Volume;

/** The checks RegisterTaskDefinition makes, each refusing with a ClientException as ECS does. */
class RegistrationRulesTest {

    private final Registrar registrar = new Registrar();

    @AfterEach
    void close() {
        registrar.close();
    }

    private TaskDefinition register(RegisterTaskDefinitionRequest.Builder request) {
        return registrar.register(request);
    }

    private void assertRefused(RegisterTaskDefinitionRequest.Builder request, String messagePart) {
        registrar.assertRefused(request, messagePart);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "dots.are.not.allowed", "slash/family"})
    void familyHoldsOnlyLettersNumbersHyphensAndUnderscores(String family) {
        assertRefused(request(container("app")).family(family), "amily");
    }

    @Test
    void familyIsAtMost255Characters() {
        assertRefused(request(container("app")).family("f".repeat(256)), "Family");
        assertThat(register(request(container("app")).family("f".repeat(255))).revision()).isEqualTo(1);
    }

    @Test
    void familyIsRequired() {
        assertRefused(request(container("app")).family(null), "Family should not be null or empty.");
    }

    @Test
    void aTaskDefinitionHasOneToTenContainers() {
        assertRefused(request(), "Container list cannot be empty.");
        List<ContainerDefinition> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(container("c" + i));
        }
        assertRefused(request().containerDefinitions(eleven), "at most 10 containers");
        assertThat(register(request().containerDefinitions(eleven.subList(0, 10))).containerDefinitions()).hasSize(10);
    }

    @Test
    void containerNamesFollowTheNameRulesAndAreUnique() {
        assertRefused(request(container(null)), "Container.name should not be null or empty.");
        assertRefused(request(container("bad name")), "Container name 'bad name' is invalid");
        assertRefused(request(container("x".repeat(256))), "is invalid");
        assertRefused(request(container("twin"), container("twin")), "'twin' appears more than once");
    }

    @Test
    void imageIsRequired() {
        assertRefused(request(container("app", c -> c.image(null))), "Container.image should not be null or empty.");
        assertRefused(request(container("app", c -> c.image(" "))), "Container.image should not be null or empty.");
    }

    @Test
    void atLeastOneContainerIsEssential() {
        assertRefused(request(container("a", c -> c.essential(false)), container("b", c -> c.essential(false))),
                "At least one essential container is required.");
        assertThat(register(request(container("a", c -> c.essential(false)), container("b"))).revision())
                .isEqualTo(1);
    }

    @Test
    void aContainerNeedsMemoryOrMemoryReservationUnlessTheTaskHasMemory() {
        assertRefused(request(container("app", c -> c.memory(null))),
                "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified.");
        assertThat(register(request(container("app", c -> c.memory(null).memoryReservation(32)))).revision())
                .isEqualTo(1);
        assertThat(register(request(container("app", c -> c.memory(null))).memory("512")).memory()).isEqualTo("512");
    }

    @Test
    void containerMemoryIsAtLeastSixMibAndNotBelowItsReservation() {
        assertRefused(request(container("app", c -> c.memory(5))), "at least 6 MiB");
        assertRefused(request(container("app", c -> c.memory(null).memoryReservation(4))), "at least 6 MiB");
        assertRefused(request(container("app", c -> c.memory(64).memoryReservation(128))),
                "'memoryReservation' must be less than or equal to 'memory'");
        assertThat(register(request(container("app", c -> c.memory(6)))).revision()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({"256, 256", "0.25 vCPU, 256", "1 vCPU, 1024", "2vcpu, 2048", "0.125 vCPU, 128"})
    void taskCpuIsStoredInCpuUnits(String given, String stored) {
        assertThat(register(request(container("app")).cpu(given)).cpu()).isEqualTo(stored);
    }

    @ParameterizedTest
    @CsvSource({"512, 512", "512 MiB, 512", "1 GB, 1024", "2GB, 2048", "0.5 GB, 512"})
    void taskMemoryIsStoredInMib(String given, String stored) {
        assertThat(register(request(container("app")).memory(given)).memory()).isEqualTo(stored);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lots", "1.5", "64", "200000", "-256", "1 vCPUs please"})
    void taskCpuMustBeUnitsOrVcpusInRange(String cpu) {
        assertRefused(request(container("app")).cpu(cpu), "Invalid 'cpu' setting for task");
    }

    @ParameterizedTest
    @ValueSource(strings = {"big", "1 TB", "5", "12 KB"})
    void taskMemoryMustBeMibOrGigabytes(String memory) {
        assertRefused(request(container("app")).memory(memory), "Invalid 'memory' setting for task");
    }

    @Test
    void containersFitInTheTaskCpuAndMemory() {
        assertRefused(request(container("a", c -> c.cpu(200)), container("b", c -> c.cpu(100))).cpu("256"),
                "exceeds the task cpu");
        assertRefused(request(container("a", c -> c.memory(300)), container("b", c -> c.memory(300))).memory("512"),
                "exceeds the task memory");
        assertRefused(request(container("a", c -> c.memory(1024))).memory("512"),
                "The 'memory' setting for container 'a' is greater than for the task.");
        assertRefused(request(container("a", c -> c.cpu(-1))), "Invalid 'cpu' setting for container 'a'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"awsvpc", "host"})
    void hostAndAwsvpcModesNeedEqualHostAndContainerPorts(String mode) {
        assertRefused(request(container("web", c -> c.portMappings(port(80, 8080)))).networkMode(mode),
                "When networkMode=" + mode + ", the host ports and container ports in port mappings must match.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"awsvpc", "host"})
    void hostAndAwsvpcModesTakeAnAbsentOrZeroHostPortAsTheContainerPort(String mode) {
        TaskDefinition registered = register(request(container("web", c -> c.portMappings(
                port(80, null), port(443, 0), port(8080, 8080)))).networkMode(mode));

        assertThat(registered.containerDefinitions().get(0).portMappings()).containsExactly(
                PortMapping.builder().containerPort(80).hostPort(80).protocol("tcp").build(),
                PortMapping.builder().containerPort(443).hostPort(443).protocol("tcp").build(),
                PortMapping.builder().containerPort(8080).hostPort(8080).protocol("tcp").build());
    }

    @Test
    void awsvpcContainersTakeTheirNamesFromTheTask() {
        assertRefused(request(container("web", c -> c.hostname("web.local"))).networkMode("awsvpc"),
                "hostname is not supported on container when networkMode=awsvpc.");
        assertRefused(request(container("web", c -> c.extraHosts(h -> h.hostname("db").ipAddress("10.0.0.5"))))
                .networkMode("awsvpc"), "extraHosts is not supported on container when networkMode=awsvpc.");
        assertThat(register(request(container("web", c -> c.hostname("web.local")))).containerDefinitions())
                .extracting(ContainerDefinition::hostname).containsExactly("web.local");
    }

    @Test
    void bridgeModeLeavesAMissingHostPortToBeChosenAtStart() {
        TaskDefinition registered = register(request(container("web", c -> c.portMappings(port(80, null)))));

        assertThat(registered.containerDefinitions().get(0).portMappings())
                .containsExactly(PortMapping.builder().containerPort(80).hostPort(0).protocol("tcp").build());
    }

    @Test
    void portMappingsStayInRangeAndAreUniquePerProtocol() {
        assertRefused(request(container("web", c -> c.portMappings(port(65536, null)))), "between 0 and 65535");
        assertRefused(request(container("web", c -> c.portMappings(port(80, -1)))), "between 0 and 65535");
        assertRefused(request(container("web", c -> c.portMappings(port(80, 80), port(80, 81)))),
                "maps container port 80/tcp more than once");
        assertRefused(request(container("web", c -> c.portMappings(
                PortMapping.builder().containerPort(80).protocol("sctp").build()))), "Valid values are tcp and udp");
        assertRefused(request(container("web", c -> c.portMappings(PortMapping.builder().build()))),
                "containerPort or containerPortRange is required");

        TaskDefinition both = register(request(container("dns", c -> c.portMappings(
                PortMapping.builder().containerPort(53).protocol("udp").build(),
                PortMapping.builder().containerPort(53).protocol("tcp").build()))));
        assertThat(both.containerDefinitions().get(0).portMappings()).hasSize(2);
    }

    @Test
    void linksOnlyInBridgeModeAndOnlyToContainersOfTheDefinition() {
        assertRefused(request(container("web", c -> c.links("db")), container("db")).networkMode("awsvpc"),
                "Links are not supported when networkMode=awsvpc");
        assertRefused(request(container("web", c -> c.links("cache"))), "links to 'cache'");
        assertRefused(request(container("web", c -> c.links("web"))), "links to 'web'");
        assertThat(register(request(container("web", c -> c.links("db:database")), container("db"))).revision())
                .isEqualTo(1);
    }

    @Test
    void dependenciesNameContainersOfTheDefinitionWithAKnownCondition() {
        assertRefused(request(container("web", c -> c.dependsOn(dependency("db", "START")))), "depends on 'db'");
        assertRefused(request(container("web", c -> c.dependsOn(dependency("db", "READY"))), container("db")),
                "Valid values are START, COMPLETE, SUCCESS and HEALTHY");
        assertRefused(request(container("web", c -> c.dependsOn(dependency("db", "HEALTHY"))), container("db")),
                "has no health check");
        HealthCheck check = HealthCheck.builder().command("CMD", "true").build();
        assertThat(register(request(container("web", c -> c.dependsOn(dependency("db", "HEALTHY"))),
                container("db", c -> c.healthCheck(check)))).revision()).isEqualTo(1);
    }

    @Test
    void volumesFromNamesAnotherContainer() {
        assertRefused(request(container("web", c -> c.volumesFrom(v -> v.sourceContainer("data")))),
                "takes volumes from 'data'");
    }

    @Test
    void mountPointsNameVolumesOfTheDefinition() {
        ContainerDefinition mounting = container("web", c -> c.mountPoints(
                MountPoint.builder().sourceVolume("site").containerPath("/srv").build()));

        assertRefused(request(mounting), "The source volume 'site' is not a volume of this task definition.");
        assertThat(register(request(mounting).volumes(Volume.builder().name("site").build())).volumes())
                .extracting(Volume::name).containsExactly("site");
        assertRefused(request(mounting).volumes(Volume.builder().name("site").build(),
                Volume.builder().name("site").build()), "'site' appears more than once");
    }

    @Test
    void requiresCompatibilitiesTakesTheLaunchTypesBerthRuns() {
        assertRefused(request(container("app")).requiresCompatibilitiesWithStrings("EC2", "MANAGED_INSTANCES"),
                "Unsupported requiresCompatibilities value 'MANAGED_INSTANCES'. Berth supports EC2, EXTERNAL and FARGATE.");
        assertThat(register(request(container("app")).requiresCompatibilitiesWithStrings("EC2", "EXTERNAL"))
                .requiresCompatibilitiesAsStrings()).containsExactly("EC2", "EXTERNAL");
    }

    @Test
    void theDefinitionIsAtMost64KiB() {
        List<KeyValuePair> environment = Collections.nCopies(1,
                KeyValuePair.builder().name("BIG").value("x".repeat(70_000)).build());

        assertRefused(request(container("app", c -> c.environment(environment))), "exceeds the limit of 65536 bytes");
    }

    @Test
    void pidIpcAndNetworkModesTakeEcsValues() {
        assertRefused(request(container("app")).pidMode("container"), "Invalid pidMode");
        assertRefused(request(container("app")).ipcMode("shareable"), "Invalid ipcMode");
        assertRefused(request(container("app")).networkMode("nat"), "Invalid networkMode");
        TaskDefinition registered = register(request(container("app")).pidMode("task").ipcMode("none"));
        assertThat(registered.pidModeAsString()).isEqualTo("task");
        assertThat(registered.ipcModeAsString()).isEqualTo("none");
    }

    @Test
    void placementConstraintsAreMemberOfWithAnExpression() {
        assertRefused(request(container("app")).placementConstraints(p -> p.type("distinctInstance")),
                "memberOf constraints only");
        assertRefused(request(container("app")).placementConstraints(p -> p.type("memberOf")), "requires an expression");
    }

    @Test
    void badTagsAreInvalidParameters() {
        assertThatThrownBy(() -> register(request(container("app")).tags(Tag.builder().key("aws:x").value("y").build())))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.code()).isEqualTo("InvalidParameterException"));
    }

    @Test
    void aRefusedRegistrationTakesNoRevision() {
        assertRefused(request(container("app", c -> c.image(null))), "image");

        assertThat(register(request(container("app"))).revision()).isEqualTo(1);
    }

    private static PortMapping port(Integer containerPort, Integer hostPort) {
        return PortMapping.builder().containerPort(containerPort).hostPort(hostPort).build();
    }

    private static ContainerDependency dependency(String container, String condition) {
        return ContainerDependency.builder().containerName(container).condition(condition).build();
    }
}
