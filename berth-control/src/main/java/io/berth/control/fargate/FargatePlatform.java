package io.berth.control.fargate;

import io.berth.model.EcsException;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** Fargate platform versions: which a request may name, and what a task runs on. */
public final class FargatePlatform {

    public static final String LATEST = "LATEST";
    /** What LATEST means for Linux tasks, as in ECS. */
    public static final String CURRENT = "1.4.0";
    static final String LINUX = "Linux";
    static final int DEFAULT_EPHEMERAL_STORAGE_GIB = 20;

    private static final Set<String> KNOWN = Set.of(LATEST, CURRENT, "1.3.0");

    private FargatePlatform() {
    }

    /**
     * The platform version a request asks for, checked as ECS checks it: only Fargate launches take one (LATEST
     * when none is given); any other launch type must leave it out, and an unknown version is
     * PlatformUnknownException. Null for launches off Fargate.
     */
    public static String requested(String platformVersion, String launchType) {
        if (!FargateCapacity.LAUNCH_TYPE.equals(launchType)) {
            if (platformVersion != null) {
                throw EcsException.invalidParameter("The platform version must be null when specifying an "
                        + launchType + " launch type.");
            }
            return null;
        }
        if (platformVersion == null) {
            return LATEST;
        }
        if (!KNOWN.contains(platformVersion)) {
            throw new EcsException("PlatformUnknownException", 400, "The specified platform version doesn't exist.");
        }
        return platformVersion;
    }

    /** The version a task runs on: LATEST (or none) resolves to {@value #CURRENT}. */
    public static String resolved(String platformVersion) {
        return platformVersion == null || LATEST.equals(platformVersion) ? CURRENT : platformVersion;
    }

    /** The platform family a definition's tasks show: its operating system family, Linux by default. */
    static String family(TaskDefinition definition) {
        String family = definition.runtimePlatform() == null ? null
                : definition.runtimePlatform().operatingSystemFamilyAsString();
        return family == null || "LINUX".equals(family) ? LINUX : family;
    }

    /** The GiB of ephemeral storage a definition's tasks get: the definition's, 20 by default. */
    static int ephemeralStorageGiB(TaskDefinition definition) {
        return definition.ephemeralStorage() == null || definition.ephemeralStorage().sizeInGiB() == null
                ? DEFAULT_EPHEMERAL_STORAGE_GIB : definition.ephemeralStorage().sizeInGiB();
    }
}
