package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** S→A: the tasks to stop; {@code messageId} is that of the last manifest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskStopVerificationAck(
        Long generatedAt,
        String messageId,
        List<TaskIdentifier> stopTasks) implements AcsMessage {

    public TaskStopVerificationAck {
        stopTasks = Immutable.list(stopTasks);
    }
}
