package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** S→A: the backend's periodic liveness message; answered with a {@link HeartbeatAckRequest}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record HeartbeatMessage(
        Boolean healthy,
        String messageId) implements AcsMessage {}
