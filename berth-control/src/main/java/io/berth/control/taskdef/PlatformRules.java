package io.berth.control.taskdef;

import io.berth.model.EcsException;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.model.CPUArchitecture;
import software.amazon.awssdk.services.ecs.model.EphemeralStorage;
import software.amazon.awssdk.services.ecs.model.OSFamily;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RuntimePlatform;

/** The task's platform: the operating system and architecture it is built for, and its ephemeral storage. */
final class PlatformRules {

    static final int MIN_EPHEMERAL_GIB = 21;
    static final int MAX_EPHEMERAL_GIB = 200;

    private PlatformRules() {
    }

    /** Refuses a runtime platform or an ephemeral storage size that ECS does not know. */
    static void check(RegisterTaskDefinitionRequest request) {
        RuntimePlatform platform = request.runtimePlatform();
        if (platform != null) {
            String family = platform.operatingSystemFamilyAsString();
            if (family != null && OSFamily.fromValue(family) == OSFamily.UNKNOWN_TO_SDK_VERSION) {
                throw EcsException.clientException("Invalid 'operatingSystemFamily' setting for runtimePlatform: '"
                        + family + "'. Valid values are " + known(OSFamily.knownValues()) + ".");
            }
            String architecture = platform.cpuArchitectureAsString();
            if (architecture != null && CPUArchitecture.fromValue(architecture) == CPUArchitecture.UNKNOWN_TO_SDK_VERSION) {
                throw EcsException.clientException("Invalid 'cpuArchitecture' setting for runtimePlatform: '"
                        + architecture + "'. Valid values are " + known(CPUArchitecture.knownValues()) + ".");
            }
        }
        EphemeralStorage storage = request.ephemeralStorage();
        if (storage != null) {
            int size = storage.sizeInGiB() == null ? 0 : storage.sizeInGiB();
            if (size < MIN_EPHEMERAL_GIB) {
                throw EcsException.clientException("EphemeralStorage size should be at least " + MIN_EPHEMERAL_GIB);
            }
            if (size > MAX_EPHEMERAL_GIB) {
                throw EcsException.clientException("EphemeralStorage size should be at most " + MAX_EPHEMERAL_GIB);
            }
        }
    }

    /** Whether the definition is built for Windows, which Fargate runs from 1 vCPU only. */
    static boolean isWindows(RegisterTaskDefinitionRequest request) {
        RuntimePlatform platform = request.runtimePlatform();
        return platform != null && platform.operatingSystemFamilyAsString() != null
                && platform.operatingSystemFamilyAsString().startsWith("WINDOWS_");
    }

    private static String known(Set<?> values) {
        return values.stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
    }
}
