package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** S→A: new or refreshed role credentials for a task; {@code roleType} is {@code TaskApplication} or {@code TaskExecution}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record IAMRoleCredentialsMessage(
        String taskArn,
        String taskClusterArn,
        IamRoleCredentials roleCredentials,
        String roleType,
        String messageId) implements AcsMessage {}
