package io.berth.model;

import java.util.Optional;

/**
 * ECS resource names: {@code arn:<partition>:ecs:<region>:<account>:<type>/<rest>}.
 * Callers may name most resources by short name or by ARN; these helpers tell them apart.
 */
public final class Arns {

    private Arns() {
    }

    public static String ecs(String partition, String region, String account, String resource) {
        return "arn:" + partition + ":ecs:" + region + ":" + account + ":" + resource;
    }

    public static boolean isArn(String value) {
        return value != null && value.startsWith("arn:");
    }

    /** The resource part of an ECS ARN ({@code cluster/prod}), or empty when it is not an ARN. */
    public static Optional<String> resource(String arn) {
        if (!isArn(arn)) {
            return Optional.empty();
        }
        String[] parts = arn.split(":", 6);
        if (parts.length < 6 || !"ecs".equals(parts[2])) {
            return Optional.empty();
        }
        return Optional.of(parts[5]);
    }

    /** The region field of any ARN ({@code us-east-1} for {@code arn:aws:ssm:us-east-1:…}), empty when it has none. */
    public static Optional<String> region(String arn) {
        if (!isArn(arn)) {
            return Optional.empty();
        }
        String[] parts = arn.split(":", 6);
        return parts.length < 6 || parts[3].isEmpty() ? Optional.empty() : Optional.of(parts[3]);
    }

    /** The last path segment of a name or ARN: {@code prod} for {@code …:cluster/prod} or {@code prod}. */
    public static String lastSegment(String nameOrArn) {
        int slash = nameOrArn.lastIndexOf('/');
        return slash < 0 ? nameOrArn : nameOrArn.substring(slash + 1);
    }
}
