package io.berth.agent.secrets;

/**
 * One entry of a container's {@code secrets}: the environment variable {@code name} gets the value {@code valueFrom}
 * names, an SSM parameter (name or ARN) or a Secrets Manager secret ARN.
 */
public record ContainerSecret(String name, String valueFrom) {

    public ContainerSecret {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("A secret needs a name");
        }
    }
}
