package io.berth.agent.awsvpc;

import static io.berth.agent.AcsFixtures.awsvpc;
import static io.berth.agent.AcsFixtures.container;
import static io.berth.agent.AcsFixtures.eni;
import static io.berth.agent.AcsFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.model.acs.AcsTask;
import io.berth.model.acs.ElasticNetworkInterface;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskInterfaceTest {

    private static final String ARN = "arn:aws:ecs:us-east-1:123456789012:task/default/0123456789abcdef";

    private static AcsTask taskWith(ElasticNetworkInterface eni) {
        return awsvpc(task(ARN, container("app", "true")), eni);
    }

    private static ElasticNetworkInterface eniWith(String address, String gateway, String mac) {
        return new ElasticNetworkInterface("arn:aws:ecs:us-east-1:123456789012:attachment/a", "eni-0123456789abcdef0",
                0, mac, List.of(new ElasticNetworkInterface.Ipv4Address(true, address)), gateway,
                "ip-10-200-3-7.ec2.internal", List.of("10.200.0.2"), List.of("ec2.internal"), "default", null);
    }

    @Test
    void anAwsvpcTaskGetsItsSubnetNetworkNamedAfterTheSubnet() {
        TaskInterface taskInterface = TaskInterface.of(taskWith(eniWith("10.200.3.7", "10.200.3.1/24",
                "0A:58:0A:C8:03:07"))).orElseThrow();

        assertThat(taskInterface.networkName()).isEqualTo("berth-awsvpc-10-200-3-0-24");
        assertThat(taskInterface.subnetCidr()).isEqualTo("10.200.3.0/24");
        assertThat(taskInterface.gateway()).isEqualTo("10.200.3.1");
        assertThat(taskInterface.gatewayWithPrefix()).isEqualTo("10.200.3.1/24");
        assertThat(taskInterface.address()).isEqualTo("10.200.3.7");
        assertThat(taskInterface.macAddress()).isEqualTo("0a:58:0a:c8:03:07");
        assertThat(taskInterface.dnsServers()).containsExactly("10.200.0.2");
        assertThat(taskInterface.dnsSearch()).containsExactly("ec2.internal");
        assertThat(taskInterface.publishPorts()).isFalse();
    }

    @Test
    void aWiderSubnetIsNamedAfterItsNetworkAddress() {
        assertThat(TaskInterface.of(taskWith(eniWith("10.200.5.9", "10.200.4.1/22", "02:00:00:00:00:01")))
                .orElseThrow().networkName()).isEqualTo("berth-awsvpc-10-200-4-0-22");
    }

    @Test
    void aPublicIpAsksForThePortsToBePublished() {
        assertThat(TaskInterface.of(taskWith(eni("10.200.3.7", true))).orElseThrow().publishPorts()).isTrue();
    }

    @Test
    void aTaskInAnotherNetworkModeHasNoInterface() {
        assertThat(TaskInterface.of(task(ARN, container("app", "true")))).isEmpty();
    }

    @Test
    void anAwsvpcTaskWithoutAnInterfaceIsRefused() {
        AcsTask bridge = task(ARN, container("app", "true"));
        AcsTask noInterface = new AcsTask(ARN, null, bridge.containers(), "RUNNING", "test", null, "1", null, null,
                null, null, null, null, null, null, null, null, null, "awsvpc", null, null, null, List.of());

        assertThatThrownBy(() -> TaskInterface.of(noInterface)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("awsvpc task has no elasticNetworkInterfaces");
    }

    @Test
    void addressesOutsideTheSubnetOrReservedInItAreRefused() {
        for (String address : List.of("10.200.4.7", "10.200.3.0", "10.200.3.1", "10.200.3.255")) {
            assertThatThrownBy(() -> TaskInterface.of(taskWith(eniWith(address, "10.200.3.1/24",
                    "0a:00:00:00:00:01")))).as(address).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a host address of subnet 10.200.3.1/24");
        }
    }

    @Test
    void malformedAddressesPrefixesAndMacsAreRefused() {
        assertThatThrownBy(() -> TaskInterface.of(taskWith(eniWith("10.200.3.999", "10.200.3.1/24",
                "0a:00:00:00:00:01")))).hasMessage("invalid IPv4 address: 10.200.3.999");
        assertThatThrownBy(() -> TaskInterface.of(taskWith(eniWith("10.200.3.7", "10.200.3.1",
                "0a:00:00:00:00:01")))).hasMessageContaining("must be gateway/prefix");
        assertThatThrownBy(() -> TaskInterface.of(taskWith(eniWith("10.200.3.7", "10.200.3.1/31",
                "0a:00:00:00:00:01")))).hasMessageContaining("prefix must be between 8 and 30");
        assertThatThrownBy(() -> TaskInterface.of(taskWith(eniWith("10.200.3.7", "10.200.3.1/x",
                "0a:00:00:00:00:01")))).hasMessageContaining("invalid subnet prefix");
        assertThatThrownBy(() -> TaskInterface.of(taskWith(eniWith("10.200.3.7", "10.200.3.1/24",
                "0a:00:00")))).hasMessage("invalid unicast macAddress 0a:00:00");
        assertThatThrownBy(() -> TaskInterface.of(taskWith(eniWith("10.200.3.7", "10.200.3.1/24",
                "01:00:5e:00:00:01")))).as("a multicast MAC").hasMessageContaining("invalid unicast macAddress");
    }
}
