package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A→S: the tasks a manifest left out, asking the backend to confirm they should stop. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskStopVerificationMessage(
        String messageId,
        List<TaskIdentifier> stopCandidates) implements AcsMessage {

    public TaskStopVerificationMessage {
        stopCandidates = Immutable.list(stopCandidates);
    }
}
