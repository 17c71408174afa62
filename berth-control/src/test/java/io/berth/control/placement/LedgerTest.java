package io.berth.control.placement;

import static io.berth.control.placement.TestInstances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Resource;

class LedgerTest {

    private static final ContainerInstance HOST = instance("c", "i1", 1024, 2048);

    private static Claim claim(int cpu, int memory, Set<String> tcp, Set<String> udp) {
        return new Claim(HOST.containerInstanceArn(), cpu, memory, tcp, udp);
    }

    @Test
    void claimTakesCpuMemoryAndPortsFromWhatRemains() {
        ContainerInstance claimed = Ledger.claim(HOST, claim(256, 512, Set.of("80"), Set.of("53")));

        assertThat(Ledger.remainingInteger(claimed, Ledger.CPU)).isEqualTo(768);
        assertThat(Ledger.remainingInteger(claimed, Ledger.MEMORY)).isEqualTo(1536);
        assertThat(Ledger.usedPorts(claimed, Ledger.PORTS)).contains("22", "80");
        assertThat(Ledger.usedPorts(claimed, Ledger.PORTS_UDP)).containsExactly("53");
        assertThat(claimed.registeredResources()).isEqualTo(HOST.registeredResources());
    }

    @Test
    void eachChangeOfResourcesCountsInTheInstanceVersion() {
        Claim claim = claim(1, 1, Set.of(), Set.of());
        ContainerInstance versioned = HOST.toBuilder().version(3L).build();

        assertThat(Ledger.claim(versioned, claim).version()).isEqualTo(4L);
        assertThat(Ledger.release(Ledger.claim(versioned, claim), claim).version()).isEqualTo(5L);
    }

    @Test
    void releaseGivesBackExactlyTheClaim() {
        Claim claim = claim(256, 512, Set.of("80", "443"), Set.of("53"));

        ContainerInstance released = Ledger.release(Ledger.claim(HOST, claim), claim);

        assertThat(Ledger.remainingInteger(released, Ledger.CPU)).isEqualTo(1024);
        assertThat(Ledger.remainingInteger(released, Ledger.MEMORY)).isEqualTo(2048);
        assertThat(Ledger.usedPorts(released, Ledger.PORTS)).containsExactlyInAnyOrder("22", "2375", "2376", "51678", "51679");
        assertThat(Ledger.usedPorts(released, Ledger.PORTS_UDP)).isEmpty();
        assertThat(released.remainingResources()).isEqualTo(HOST.remainingResources());
    }

    @Test
    void anInstanceWithoutRemainingResourcesStartsFromWhatItRegistered() {
        ContainerInstance fresh = HOST.toBuilder().remainingResources((List<Resource>) null).build();

        ContainerInstance claimed = Ledger.claim(fresh, claim(100, 100, Set.of(), Set.of()));

        assertThat(Ledger.remainingInteger(claimed, Ledger.MEMORY)).isEqualTo(1948);
    }

    @Test
    void shortfallNamesTheFirstResourceThatDoesNotFit() {
        Demand cpu = new Demand(2048, 10, Set.of(), Set.of(), List.of());
        Demand memory = new Demand(10, 4096, Set.of(), Set.of(), List.of());
        Demand port = new Demand(10, 10, Set.of("22"), Set.of(), List.of());
        Demand udp = new Demand(10, 10, Set.of(), Set.of("53"), List.of());
        ContainerInstance udpTaken = Ledger.claim(HOST, claim(0, 0, Set.of(), Set.of("53")));

        assertThat(Ledger.shortfall(HOST, cpu)).contains("RESOURCE:CPU");
        assertThat(Ledger.shortfall(HOST, memory)).contains("RESOURCE:MEMORY");
        assertThat(Ledger.shortfall(HOST, port)).contains("RESOURCE:PORTS");
        assertThat(Ledger.shortfall(udpTaken, udp)).contains("RESOURCE:PORTS_UDP");
        assertThat(Ledger.shortfall(HOST, new Demand(1024, 2048, Set.of("80"), Set.of("53"), List.of()))).isEmpty();
    }
}
