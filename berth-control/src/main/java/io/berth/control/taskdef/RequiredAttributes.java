package io.berth.control.taskdef;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Secret;

/**
 * The container-instance attributes a task definition needs, derived from the features it uses
 * as ECS derives them. Placement only picks instances whose agent reports all of them.
 */
final class RequiredAttributes {

    private static final String DOCKER_API = "com.amazonaws.ecs.capability.docker-remote-api.";

    private RequiredAttributes() {
    }

    static List<Attribute> of(RegisterTaskDefinitionRequest request, String networkMode) {
        Set<String> names = new LinkedHashSet<>();
        for (ContainerDefinition container : request.containerDefinitions()) {
            addContainerNeeds(container, request.executionRoleArn() != null, names);
        }
        if (request.taskRoleArn() != null) {
            names.add("com.amazonaws.ecs.capability.task-iam-role");
        }
        if ("awsvpc".equals(networkMode)) {
            names.add("ecs.capability.task-eni");
        }
        request.volumes().forEach(volume -> {
            if (volume.efsVolumeConfiguration() != null) {
                names.add("ecs.capability.efs");
            }
            if (volume.dockerVolumeConfiguration() != null) {
                names.add(DOCKER_API + "1.25");
            }
        });
        return names.stream().map(name -> Attribute.builder().name(name).build()).toList();
    }

    private static void addContainerNeeds(ContainerDefinition container, boolean hasExecutionRole, Set<String> names) {
        if (container.hasDockerLabels() || container.hasUlimits()) {
            names.add(DOCKER_API + "1.18");
        }
        if (container.memoryReservation() != null) {
            names.add(DOCKER_API + "1.21");
        }
        if (container.logConfiguration() != null) {
            String driver = container.logConfiguration().logDriverAsString();
            names.add(DOCKER_API + "1.18");
            names.add("com.amazonaws.ecs.capability.logging-driver." + driver);
            if (container.logConfiguration().hasOptions() && !container.logConfiguration().options().isEmpty()) {
                names.add(DOCKER_API + "1.19");
            }
            if ("awslogs".equals(driver) && hasExecutionRole) {
                names.add("ecs.capability.execution-role-awslogs");
            }
        }
        if (container.healthCheck() != null) {
            names.add(DOCKER_API + "1.24");
            names.add("ecs.capability.container-health-check");
        }
        if (container.linuxParameters() != null && Boolean.TRUE.equals(container.linuxParameters().initProcessEnabled())) {
            names.add(DOCKER_API + "1.25");
        }
        if (container.hasDependsOn() && !container.dependsOn().isEmpty()) {
            names.add("ecs.capability.container-ordering");
        }
        for (Secret secret : container.secrets()) {
            names.add("ecs.capability.secrets." + provider(secret) + ".environment-variables");
        }
        if (container.logConfiguration() != null) {
            for (Secret secret : container.logConfiguration().secretOptions()) {
                names.add("ecs.capability.secrets." + provider(secret) + ".bootstrap.log-driver");
            }
        }
        if (container.repositoryCredentials() != null) {
            names.add("ecs.capability.private-registry-authentication.secretsmanager");
        }
        if (container.image() != null && container.image().contains(".dkr.ecr.")) {
            names.add("com.amazonaws.ecs.capability.ecr-auth");
            if (hasExecutionRole) {
                names.add("ecs.capability.execution-role-ecr-pull");
            }
        }
        if (container.hasEnvironmentFiles() && !container.environmentFiles().isEmpty()) {
            names.add("ecs.capability.env-files.s3");
        }
        if (container.firelensConfiguration() != null) {
            names.add("ecs.capability.firelens." + container.firelensConfiguration().typeAsString());
        }
    }

    /** Where a secret's value lives, as the agent's capabilities name it: {@code asm} or {@code ssm}. */
    private static String provider(Secret secret) {
        return secret.valueFrom() != null && secret.valueFrom().startsWith("arn:")
                && secret.valueFrom().contains(":secretsmanager:") ? "asm" : "ssm";
    }
}
