package io.berth.control.audit;

/**
 * A resource a call named, as CloudTrail's event history lists it.
 *
 * @param type such as {@code AWS::ECS::Cluster}
 * @param name the name or ARN as the request gave it
 */
public record AuditResource(String type, String name) {
}
