package io.berth.agent.awsvpc;

/**
 * What the host does to the bridge interface of a subnet network before a task joins it, e.g. let it reach the
 * credentials endpoint. Called for every task set up, as Docker makes the interface anew when it restarts.
 */
@FunctionalInterface
public interface BridgeSetup {

    BridgeSetup NONE = bridgeInterface -> {
    };

    void prepare(String bridgeInterface);
}
