package io.berth.agent.secrets;

/** Where a {@code valueFrom} points: an SSM parameter or a Secrets Manager secret, in the region that holds it. */
sealed interface SecretReference {

    String region();

    /** The {@code valueFrom} as the task definition gave it, for messages. */
    String valueFrom();

    /**
     * An SSM parameter by name or ARN, as GetParameters takes it, possibly ending in a {@code :version} or
     * {@code :label}.
     */
    record Parameter(String valueFrom, String region, String name) implements SecretReference {
    }

    /**
     * A Secrets Manager secret: {@code secretId} is its ARN without the suffixes; {@code jsonKey},
     * {@code versionStage} and {@code versionId} are null when not given.
     */
    record Secret(String valueFrom, String region, String secretId, String jsonKey, String versionStage,
            String versionId) implements SecretReference {
    }

    /**
     * Reads a {@code valueFrom}: an ARN of service {@code ssm} ({@code ...:parameter/name}) or
     * {@code secretsmanager} ({@code ...:secret:name-AbCdEf[:json-key:version-stage:version-id]}), or else the
     * name of an SSM parameter in {@code defaultRegion}.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static SecretReference parse(String valueFrom, String defaultRegion) {
        if (valueFrom == null || valueFrom.isBlank()) {
            throw new IllegalArgumentException("a secret has an empty valueFrom");
        }
        if (!valueFrom.startsWith("arn:")) {
            return new Parameter(valueFrom, defaultRegion, valueFrom);
        }
        String[] arn = valueFrom.split(":", 6);
        if (arn.length < 6 || arn[1].isEmpty() || arn[2].isEmpty()) {
            throw new IllegalArgumentException("valueFrom " + valueFrom + " is not a valid ARN");
        }
        String region = arn[3].isEmpty() ? defaultRegion : arn[3];
        String resource = arn[5];
        return switch (arn[2]) {
            case "ssm" -> {
                if (!resource.startsWith("parameter/") || resource.length() == "parameter/".length()) {
                    throw new IllegalArgumentException("valueFrom " + valueFrom
                            + " is not the ARN of an SSM parameter");
                }
                // GetParameters takes the ARN itself, as the only way to name a parameter of another account
                yield new Parameter(valueFrom, region, valueFrom);
            }
            case "secretsmanager" -> secret(valueFrom, arn, region, resource);
            default -> throw new IllegalArgumentException("valueFrom " + valueFrom
                    + " names neither an SSM parameter nor a Secrets Manager secret");
        };
    }

    private static Secret secret(String valueFrom, String[] arn, String region, String resource) {
        String[] parts = resource.split(":", -1);
        if (!parts[0].equals("secret") || parts.length < 2 || parts[1].isEmpty()
                || parts.length != 2 && parts.length != 5) {
            throw new IllegalArgumentException("an invalid ARN format for the AWS Secrets Manager secret was "
                    + "specified. Specify a valid ARN and try again.");
        }
        String secretId = String.join(":", arn[0], arn[1], arn[2], arn[3], arn[4], "secret", parts[1]);
        if (parts.length == 2) {
            return new Secret(valueFrom, region, secretId, null, null, null);
        }
        return new Secret(valueFrom, region, secretId, emptyToNull(parts[2]), emptyToNull(parts[3]),
                emptyToNull(parts[4]));
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
