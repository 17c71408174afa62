package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** S→A: every task the backend believes should be on this instance; tasks missing from it become stop candidates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskManifestMessage(
        String containerInstanceArn,
        String clusterArn,
        List<TaskIdentifier> tasks,
        Long generatedAt,
        String messageId,
        Long timeline) implements AcsMessage {

    public TaskManifestMessage {
        tasks = Immutable.list(tasks);
    }
}
