package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A→S: acknowledges a payload or manifest; {@code cluster} echoes the message's {@code clusterArn}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AckRequest(
        String cluster,
        String containerInstance,
        String messageId) implements AcsMessage {}
