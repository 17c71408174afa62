package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A published port; a missing or zero {@code hostPort} asks for a dynamic one; {@code protocol} is {@code tcp} or {@code udp}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PortMapping(
        Integer containerPort,
        Integer hostPort,
        String containerPortRange,
        String protocol) {}
