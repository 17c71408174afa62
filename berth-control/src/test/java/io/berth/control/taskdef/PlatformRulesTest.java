package io.berth.control.taskdef;

import static io.berth.control.taskdef.Registrar.container;
import static io.berth.control.taskdef.Registrar.request;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** The runtime platform and ephemeral storage a definition names take ECS's values, whatever it requires. */
class PlatformRulesTest {

    private final Registrar registrar = new Registrar();

    @AfterEach
    void close() {
        registrar.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"LINUX", "WINDOWS_SERVER_2019_FULL", "WINDOWS_SERVER_2019_CORE", "WINDOWS_SERVER_2022_CORE",
            "WINDOWS_SERVER_2022_FULL", "WINDOWS_SERVER_2025_CORE", "WINDOWS_SERVER_20H2_CORE"})
    void theOperatingSystemFamilyIsOneEcsKnows(String family) {
        TaskDefinition registered = registrar.register(request(container("app"))
                .runtimePlatform(p -> p.operatingSystemFamily(family)));

        assertThat(registered.runtimePlatform().operatingSystemFamilyAsString()).isEqualTo(family);
    }

    @Test
    void unknownPlatformsAreRefused() {
        registrar.assertRefused(request(container("app")).runtimePlatform(p -> p.operatingSystemFamily("MACOS")),
                "Invalid 'operatingSystemFamily' setting for runtimePlatform: 'MACOS'. Valid values are LINUX,");
        registrar.assertRefused(request(container("app")).runtimePlatform(p -> p.operatingSystemFamily("linux")),
                "'linux'");
        registrar.assertRefusedWith(request(container("app")).runtimePlatform(p -> p.cpuArchitecture("RISCV64")),
                "Invalid 'cpuArchitecture' setting for runtimePlatform: 'RISCV64'. Valid values are ARM64, X86_64.");
    }

    @Test
    void theArchitectureIsX86OrArm() {
        assertThat(registrar.register(request(container("app")).runtimePlatform(p -> p.cpuArchitecture("ARM64")))
                .runtimePlatform().cpuArchitectureAsString()).isEqualTo("ARM64");
        assertThat(registrar.register(request(container("app")).runtimePlatform(p -> p.cpuArchitecture("X86_64")))
                .runtimePlatform().cpuArchitectureAsString()).isEqualTo("X86_64");
    }

    @Test
    void ephemeralStorageIsBetween21And200GiB() {
        registrar.assertRefusedWith(request(container("app")).ephemeralStorage(e -> e.sizeInGiB(20)),
                "EphemeralStorage size should be at least 21");
        registrar.assertRefusedWith(request(container("app")).ephemeralStorage(e -> e.sizeInGiB(-1)),
                "EphemeralStorage size should be at least 21");
        registrar.assertRefusedWith(request(container("app")).ephemeralStorage(e -> { }),
                "EphemeralStorage size should be at least 21");
        registrar.assertRefusedWith(request(container("app")).ephemeralStorage(e -> e.sizeInGiB(201)),
                "EphemeralStorage size should be at most 200");
        registrar.assertRefusedWith(request(container("app")).ephemeralStorage(e -> e.sizeInGiB(Integer.MAX_VALUE)),
                "EphemeralStorage size should be at most 200");

        assertThat(registrar.register(request(container("app")).ephemeralStorage(e -> e.sizeInGiB(21)))
                .ephemeralStorage().sizeInGiB()).isEqualTo(21);
        assertThat(registrar.register(request(container("app")).ephemeralStorage(e -> e.sizeInGiB(200)))
                .ephemeralStorage().sizeInGiB()).isEqualTo(200);
    }

    @Test
    void aFargateDefinitionKeepsItsEphemeralStorage() {
        TaskDefinition registered = registrar.register(request(container("app")).requiresCompatibilitiesWithStrings("FARGATE")
                .networkMode("awsvpc").cpu("512").memory("1024").ephemeralStorage(e -> e.sizeInGiB(100)));

        assertThat(registered.ephemeralStorage().sizeInGiB()).isEqualTo(100);
        assertThat(registered.compatibilitiesAsStrings()).contains("FARGATE");
    }
}
