package io.berth.control.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** IPv4 blocks: how they are read, split and written. */
class CidrTest {

    @Test
    void aRangeSplitsIntoSubnetBlocksWithTheirGateways() {
        Cidr range = Cidr.parse("10.200.0.0/16");

        Cidr third = range.part(3, 24);

        assertThat(range.parts(24)).isEqualTo(256);
        assertThat(third).hasToString("10.200.3.0/24");
        assertThat(Cidr.text(third.gateway())).isEqualTo("10.200.3.1");
        assertThat(third.size()).isEqualTo(256);
        assertThat(Cidr.text(third.address(255))).isEqualTo("10.200.3.255");
        assertThat(range.contains(third.network())).isTrue();
        assertThat(third.contains(Cidr.address("10.200.4.1"))).isFalse();
    }

    @Test
    void highAddressesStayUnsigned() {
        Cidr block = Cidr.parse("192.168.255.0/24");

        assertThat(Cidr.text(block.address(254))).isEqualTo("192.168.255.254");
        assertThat(block.indexOf(Cidr.address("192.168.255.7"))).isEqualTo(7);
    }

    @Test
    void anythingButABlockWithItsHostBitsClearIsRefused() {
        assertThatThrownBy(() -> Cidr.parse("10.200.0.0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.200.0.1/16")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host bits");
        assertThatThrownBy(() -> Cidr.parse("10.300.0.0/16")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("1".repeat(10_000))).isInstanceOf(IllegalArgumentException.class);
    }
}
