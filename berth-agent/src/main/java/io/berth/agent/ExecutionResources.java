package io.berth.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.agent.acs.TaskCredentials;
import io.berth.agent.docker.RegistryAuth;
import io.berth.agent.engine.ContainerRecord;
import io.berth.agent.engine.TaskHooks;
import io.berth.agent.engine.TaskRecord;
import io.berth.agent.logs.AwslogsOptions;
import io.berth.agent.logs.LogShipping;
import io.berth.agent.secrets.ContainerSecret;
import io.berth.agent.secrets.SecretResolver;
import io.berth.agent.secrets.SecretsUnavailableException;
import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.AcsSecret;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.RegistryAuthentication;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * What a task gets through its execution role, joined to the task engine: its containers' {@code secrets} as
 * environment variables and its private-registry logins, fetched before the container is pulled and created, and
 * its {@code awslogs} containers' output shipped to CloudWatch Logs from their start to their last line, which
 * must be shipped before the stopped task's containers are removed. Logs are signed as the execution role when the
 * task has one, else as the agent.
 */
final class ExecutionResources implements TaskHooks {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionResources.class);
    private static final String ENVIRONMENT_VARIABLE = "ENVIRONMENT_VARIABLE";
    private static final String CONTAINER = "CONTAINER";

    private final LogShipping logs;
    private final SecretResolver secrets;
    private final TaskCredentials taskCredentials;
    private final AwsCredentialsProvider agentCredentials;

    ExecutionResources(LogShipping logs, SecretResolver secrets, TaskCredentials taskCredentials,
            AwsCredentialsProvider agentCredentials) {
        this.logs = logs;
        this.secrets = secrets;
        this.taskCredentials = taskCredentials;
        this.agentCredentials = agentCredentials;
    }

    @Override
    public RegistryAuth registryAuth(AcsTask task, AcsContainer container) {
        RegistryAuthentication authentication = container.registryAuthentication();
        if (authentication == null || !RegistryAuthentication.ASM.equals(authentication.type())
                || authentication.asmAuthData() == null) {
            return RegistryAuth.NONE;
        }
        try {
            return secrets.registryAuth(container.image(), authentication.asmAuthData().credentialsParameter(),
                    executionRole(task));
        } catch (SecretsUnavailableException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public Map<String, String> environment(AcsTask task, AcsContainer container, Map<String, String> environment) {
        List<ContainerSecret> wanted = container.secrets() == null ? List.of() : container.secrets().stream()
                .filter(ExecutionResources::isEnvironmentVariable)
                .map(secret -> new ContainerSecret(secret.name(), secret.valueFrom()))
                .toList();
        if (wanted.isEmpty()) {
            return environment;
        }
        Map<String, String> withSecrets = new LinkedHashMap<>(environment);
        try {
            withSecrets.putAll(secrets.environment(wanted, executionRole(task)));
        } catch (SecretsUnavailableException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return withSecrets;
    }

    /** Docker keeps an awslogs container's output in its local json-file log, from which the agent ships it. */
    @Override
    public void createBody(AcsTask task, AcsContainer container, ObjectNode body) {
        if (AwslogsOptions.of(container).isPresent()) {
            AwslogsOptions.keepJsonFileLog(body);
        }
    }

    @Override
    public void containerStarted(AcsTask task, ContainerRecord container) {
        AcsContainer definition = task.containers().stream().filter(c -> c.name().equals(container.name()))
                .findFirst().orElse(null);
        Optional<AwslogsOptions> options;
        try {
            options = definition == null ? Optional.empty() : AwslogsOptions.of(definition);
        } catch (IllegalArgumentException e) {
            // refused when the container was created; one created by an older agent logs as Docker was told
            LOG.warn("Task {}: container {} has awslogs options that cannot be shipped: {}", task.arn(),
                    container.name(), e.getMessage());
            return;
        }
        AwsCredentialsProvider signer = Optional.ofNullable(executionRole(task)).orElse(agentCredentials);
        options.ifPresent(awslogs -> logs.ship(container.dockerId(), container.name(), task.arn(), awslogs, signer));
    }

    /** A stopped task's containers stay until each one's log is shipped to its last line. */
    @Override
    public boolean readyForCleanup(TaskRecord task) {
        return task.containers().stream().filter(c -> c.dockerId() != null)
                .allMatch(c -> logs.shipper(c.dockerId()).map(shipper -> shipper.finished().isDone()).orElse(true));
    }

    @Override
    public void taskRemoved(TaskRecord task) {
        task.containers().stream().filter(c -> c.dockerId() != null).forEach(c -> logs.forget(c.dockerId()));
    }

    /** Signs as the task execution role, with the latest credentials the control plane sent; null without one. */
    private AwsCredentialsProvider executionRole(AcsTask task) {
        if (task.executionRoleCredentials() == null || task.executionRoleCredentials().credentialsId() == null) {
            return null;
        }
        return taskCredentials.provider(task.executionRoleCredentials().credentialsId());
    }

    /** Whether a secret becomes an environment variable of the container (not a log driver option). */
    private static boolean isEnvironmentVariable(AcsSecret secret) {
        return (secret.type() == null || ENVIRONMENT_VARIABLE.equals(secret.type()))
                && (secret.target() == null || CONTAINER.equals(secret.target()));
    }
}
