package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A task named in a manifest or stop verification. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskIdentifier(
        String taskArn,
        String taskClusterArn,
        String desiredStatus) {}
