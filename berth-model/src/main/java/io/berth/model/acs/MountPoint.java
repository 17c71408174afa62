package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Mounts the task volume {@code sourceVolume} at {@code containerPath}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MountPoint(
        String sourceVolume,
        String containerPath,
        Boolean readOnly) {}
