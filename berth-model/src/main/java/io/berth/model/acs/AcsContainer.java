package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A container of an {@link AcsTask}. {@code cpu} is in CPU units (Docker CPU shares), {@code memory} the hard limit
 * in MiB; {@code environment} is a map; {@code overrides} is a JSON string; anything else Docker-specific travels in
 * {@link DockerConfig}. {@code secrets} and {@code registryAuthentication} name what the agent fetches with the task
 * execution role before it pulls and creates the container.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AcsContainer(
        String name,
        String image,
        List<String> command,
        List<String> entryPoint,
        Integer cpu,
        Integer memory,
        Map<String, String> environment,
        Boolean essential,
        List<String> links,
        String overrides,
        List<PortMapping> portMappings,
        List<MountPoint> mountPoints,
        List<VolumeFrom> volumesFrom,
        DockerConfig dockerConfig,
        String healthCheckType,
        List<ContainerDependency> dependsOn,
        Integer startTimeout,
        Integer stopTimeout,
        Boolean privileged,
        String containerArn,
        List<AcsSecret> secrets,
        RegistryAuthentication registryAuthentication) {

    public AcsContainer {
        command = Immutable.list(command);
        entryPoint = Immutable.list(entryPoint);
        environment = Immutable.map(environment);
        links = Immutable.list(links);
        portMappings = Immutable.list(portMappings);
        mountPoints = Immutable.list(mountPoints);
        volumesFrom = Immutable.list(volumesFrom);
        dependsOn = Immutable.list(dependsOn);
        secrets = Immutable.list(secrets);
    }
}
