package io.berth.control.iam;

import io.berth.control.Scope;

/** Hands out role credentials for tasks, the way ECS's task credential service assumes task roles. */
@FunctionalInterface
public interface RoleSessions {

    /** The service principal a role's trust policy must allow for tasks to assume it. */
    String ECS_TASKS = "ecs-tasks.amazonaws.com";

    /**
     * Credentials of the role for one task. Throws {@code EcsException} (ClientException) when the
     * role does not exist in the scope's account or its trust policy does not allow {@link #ECS_TASKS}
     * to assume it.
     */
    SessionCredentials assumeForTask(Scope scope, String roleArn, String taskArn);
}
