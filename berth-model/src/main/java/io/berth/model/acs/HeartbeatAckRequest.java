package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A→S: the answer to a {@link HeartbeatMessage}, echoing its {@code messageId}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record HeartbeatAckRequest(
        String messageId) implements AcsMessage {}
