package io.berth.agent.docker;

import java.util.Map;

/** A container as listed by the runtime: id, name (without the leading slash), state and labels. */
public record ContainerListing(String id, String name, String state, Map<String, String> labels) {

    public ContainerListing {
        labels = Map.copyOf(labels);
    }
}
