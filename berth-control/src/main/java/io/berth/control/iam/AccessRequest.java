package io.berth.control.iam;

import java.util.List;
import java.util.Map;

/**
 * One thing a principal asks to do: an action ({@code ecs:RunTask}) on one resource ARN (or
 * {@code *}), with the condition keys that apply ({@code ecs:cluster}, {@code aws:ResourceTag/env},
 * {@code aws:SourceIp}, ...), each key holding one or more values.
 */
public record AccessRequest(String action, String resource, Map<String, List<String>> context) {

    public AccessRequest {
        context = Map.copyOf(context);
    }

    public AccessRequest(String action, String resource) {
        this(action, resource, Map.of());
    }
}
