package io.berth.agent.docker;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The runtime's user-defined bridge networks. Every call blocks until the runtime has answered. */
public interface BridgeNetworks {

    /**
     * Creates bridge network {@code name} on {@code subnet} (a CIDR) with {@code gateway} on the host side; a network
     * of that name already there (made by anyone, even at the same moment) is left as it is.
     */
    void create(String name, String subnet, String gateway, Map<String, String> labels);

    /** The network named {@code name}, or empty when there is none. */
    Optional<BridgeNetwork> inspect(String name);

    /** Removes the network unless a container is attached to it; a missing network counts as removed. */
    boolean remove(String name);

    /** The names of every network carrying label {@code key=value}. */
    List<String> namesByLabel(String key, String value);
}
