package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A task volume: {@code type} {@code host} (the default) uses {@link HostVolume}, {@code docker} uses {@link DockerVolumeConfiguration}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AcsVolume(
        String name,
        String type,
        HostVolume host,
        DockerVolumeConfiguration dockerVolumeConfiguration) {}
