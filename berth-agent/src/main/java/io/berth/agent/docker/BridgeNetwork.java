package io.berth.agent.docker;

import java.util.List;
import java.util.Map;

/**
 * A Docker bridge network as the daemon describes it: {@code bridgeInterface} is the host's interface for it
 * ({@code br-} and the first twelve digits of its id, unless the network names its own), {@code containerIds} the
 * containers attached to it right now.
 */
public record BridgeNetwork(String id, String name, String bridgeInterface, Map<String, String> labels,
        List<String> containerIds) {

    public BridgeNetwork {
        labels = Map.copyOf(labels);
        containerIds = List.copyOf(containerIds);
    }
}
