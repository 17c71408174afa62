package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The network interface of an awsvpc task, as ACS sends it with the task. On Berth's hosts it is the task's own
 * network namespace: {@code ipv4Addresses} holds the task's address, {@code subnetGatewayIpv4Address} the gateway
 * and prefix of the subnet's bridge network ({@code 10.200.3.1/24}), {@code macAddress} the namespace's MAC.
 * {@code assignPublicIp} is Berth's own member: when true, the host publishes the task's container ports on the
 * same port numbers, Berth's stand-in for a public address.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ElasticNetworkInterface(
        String attachmentArn,
        String ec2Id,
        Integer index,
        String macAddress,
        List<Ipv4Address> ipv4Addresses,
        String subnetGatewayIpv4Address,
        String privateDnsName,
        List<String> domainNameServers,
        List<String> domainName,
        String interfaceAssociationProtocol,
        Boolean assignPublicIp) {

    public ElasticNetworkInterface {
        ipv4Addresses = Immutable.list(ipv4Addresses);
        domainNameServers = Immutable.list(domainNameServers);
        domainName = Immutable.list(domainName);
    }

    /** An address of the interface; {@code primary} marks the one the task is known by. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Ipv4Address(Boolean primary, String privateAddress) {
    }

    /** The task's address: the primary one, or the first. */
    public String primaryAddress() {
        if (ipv4Addresses == null || ipv4Addresses.isEmpty()) {
            return null;
        }
        return ipv4Addresses.stream().filter(a -> Boolean.TRUE.equals(a.primary())).findFirst()
                .orElse(ipv4Addresses.get(0)).privateAddress();
    }
}
