package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** S→A: tasks for this container instance, each with the status the backend wants. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PayloadMessage(
        String containerInstanceArn,
        String clusterArn,
        List<AcsTask> tasks,
        Long generatedAt,
        String messageId,
        Integer seqNum,
        Long timeline) implements AcsMessage {

    public PayloadMessage {
        tasks = Immutable.list(tasks);
    }
}
