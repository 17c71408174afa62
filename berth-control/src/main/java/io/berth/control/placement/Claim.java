package io.berth.control.placement;

import java.util.Set;

/**
 * What a placed task holds on its container instance, kept until the task stops so that exactly
 * this is given back, whatever happens to its task definition meanwhile.
 */
public record Claim(String containerInstanceArn, int cpu, int memory, Set<String> tcpPorts, Set<String> udpPorts) {

    public Claim {
        tcpPorts = Set.copyOf(tcpPorts);
        udpPorts = Set.copyOf(udpPorts);
    }

    public static Claim of(String containerInstanceArn, Demand demand) {
        return new Claim(containerInstanceArn, demand.cpu(), demand.memory(), demand.tcpPorts(), demand.udpPorts());
    }
}
