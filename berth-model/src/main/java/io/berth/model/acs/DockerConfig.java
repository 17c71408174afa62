package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Docker Engine API JSON, as strings, applied over the typed container settings: a container config and a host config. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerConfig(
        String version,
        String config,
        String hostConfig) {}
