package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Start-order dependency; {@code condition} is {@code START}, {@code COMPLETE}, {@code SUCCESS} or {@code HEALTHY}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerDependency(
        String containerName,
        String condition) {}
