/**
 * Container secrets as ECS resolves them when it creates a task's containers: {@code secrets} from SSM Parameter Store
 * (a parameter name or ARN) or Secrets Manager (a secret ARN, optionally ending in
 * {@code :json-key:version-stage:version-id}) become environment variables, and {@code repositoryCredentials} (a
 * Secrets Manager secret holding {@code {"username", "password"}}) become the login for a private registry pull. Both
 * are fetched over the wire, signed with the task execution role's credentials; a failure stops the task with ECS's
 * words and never shows a value.
 *
 * <p>Entry point: {@link io.berth.agent.secrets.SecretResolver}.
 */
package io.berth.agent.secrets;
