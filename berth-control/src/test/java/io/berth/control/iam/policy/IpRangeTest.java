package io.berth.control.iam.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Addresses and CIDR blocks as the IpAddress operators read them. */
class IpRangeTest {

    @Test
    void readsTheShapesOfIpv6Addresses() {
        assertThat(IpRange.address("::")).hasSize(16).containsOnly(0);
        assertThat(IpRange.address("::1")[15]).isEqualTo((byte) 1);
        assertThat(IpRange.address("fe80::1%eth0")[0]).isEqualTo((byte) 0xfe);
        assertThat(IpRange.address("1:2:3:4:5:6:7:8")[15]).isEqualTo((byte) 8);
        assertThat(IpRange.address("::ffff:192.0.2.1")[12]).isEqualTo((byte) 192);
    }

    @Test
    void refusesWhatIsNotAnAddress() {
        assertThat(IpRange.address("1:2:3:4:5:6:7:8:9")).isNull();
        assertThat(IpRange.address("1::2::3")).isNull();
        assertThat(IpRange.address("12345::")).isNull();
        assertThat(IpRange.address("g::")).isNull();
        assertThat(IpRange.address("256.0.0.1")).isNull();
        assertThat(IpRange.address("1.2.3")).isNull();
        assertThat(IpRange.address("1.2.3.4.5")).isNull();
        assertThat(IpRange.address("example.com")).isNull();
        assertThat(IpRange.parse("10.0.0.0/33")).isNull();
        assertThat(IpRange.parse("10.0.0.0/")).isNull();
        assertThat(IpRange.parse("2001:db8::/129")).isNull();
    }

    @Test
    void aBlockContainsTheAddressesOfItsPrefix() {
        IpRange block = IpRange.parse("2001:db8:abcd::/46");
        assertThat(block.contains("2001:db8:abcf:ffff::1")).isTrue();
        assertThat(block.contains("2001:db8:abd0::1")).isFalse();
        assertThat(IpRange.parse("0.0.0.0/0").contains("203.0.113.9")).isTrue();
        assertThat(IpRange.parse("0.0.0.0/0").contains("2001:db8::1")).isFalse();
        assertThat(IpRange.parse("::/0").contains("2001:db8::1")).isTrue();
    }
}
