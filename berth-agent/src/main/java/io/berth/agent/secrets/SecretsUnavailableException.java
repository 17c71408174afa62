package io.berth.agent.secrets;

/**
 * A task's secrets or registry credentials could not be fetched; the message is the task's stopped reason, in ECS's
 * words ({@value #PREFIX}...), and never holds a secret value.
 */
public final class SecretsUnavailableException extends Exception {

    static final String PREFIX = "ResourceInitializationError: unable to pull secrets or registry auth: "
            + "execution resource retrieval failed: ";

    SecretsUnavailableException(String reason) {
        super(PREFIX + reason);
    }
}
