package io.berth.control;

import io.berth.model.Arns;

/** One tenant's slice of state: an account in one region of a partition. */
public record Scope(String partition, String account, String region) {

    /** The key under which this scope's documents are stored. */
    public String key() {
        return partition + ":" + account + ":" + region;
    }

    public static Scope fromKey(String key) {
        String[] parts = key.split(":", 3);
        return new Scope(parts[0], parts[1], parts[2]);
    }

    /** An ECS ARN in this scope for a resource part such as {@code cluster/prod}. */
    public String arn(String resource) {
        return Arns.ecs(partition, region, account, resource);
    }
}
