package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A→S: acknowledges one set of role credentials. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record IAMRoleCredentialsAckRequest(
        String messageId,
        String expiration,
        String credentialsId) implements AcsMessage {}
