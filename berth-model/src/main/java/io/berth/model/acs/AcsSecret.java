package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One of a container's {@code secrets}, as ACS sends it: {@code name} is what it becomes in the container (an
 * environment variable with {@code type} {@code ENVIRONMENT_VARIABLE}), {@code valueFrom} the SSM parameter or
 * Secrets Manager secret it comes from, {@code provider} {@code ssm} or {@code asm}, {@code region} where that lives,
 * {@code target} {@code CONTAINER} or {@code LOG_DRIVER} (a log configuration's {@code secretOptions}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AcsSecret(
        String name,
        String valueFrom,
        String containerPath,
        String type,
        String region,
        String provider,
        String target) {}
