package io.berth.agent.awsvpc;

import io.berth.model.acs.AcsTask;
import io.berth.model.acs.ElasticNetworkInterface;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The network interface of an awsvpc task as this host sets it up, read from the task's first
 * {@link ElasticNetworkInterface}: the task's address and MAC on the bridge network {@code networkName} of subnet
 * {@code subnetCidr}, whose host side is {@code gateway}.
 */
public record TaskInterface(
        String attachmentArn,
        String address,
        String macAddress,
        String gateway,
        int prefixLength,
        String subnetCidr,
        String networkName,
        String privateDnsName,
        List<String> dnsServers,
        List<String> dnsSearch,
        boolean publishPorts) {

    public static final String AWSVPC = "awsvpc";
    /** The prefix of every subnet network's name; the rest is the subnet, e.g. {@code 10-200-3-0-24}. */
    static final String NETWORK_NAME_PREFIX = "berth-awsvpc-";
    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");

    public TaskInterface {
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
        dnsSearch = dnsSearch == null ? List.of() : List.copyOf(dnsSearch);
    }

    /**
     * The interface of an awsvpc task, or empty for a task in another network mode.
     *
     * @throws IllegalArgumentException when the task is awsvpc but its interface cannot be set up as sent
     */
    public static Optional<TaskInterface> of(AcsTask task) {
        if (!AWSVPC.equals(task.networkMode())) {
            return Optional.empty();
        }
        List<ElasticNetworkInterface> interfaces = task.elasticNetworkInterfaces();
        if (interfaces == null || interfaces.isEmpty()) {
            throw new IllegalArgumentException("awsvpc task has no elasticNetworkInterfaces");
        }
        ElasticNetworkInterface eni = interfaces.getFirst();
        String address = eni.primaryAddress();
        int host = ipv4(address, "address");
        String gatewayAndPrefix = eni.subnetGatewayIpv4Address();
        if (gatewayAndPrefix == null || !gatewayAndPrefix.contains("/")) {
            throw new IllegalArgumentException("subnetGatewayIpv4Address must be gateway/prefix, not "
                    + gatewayAndPrefix);
        }
        String gateway = gatewayAndPrefix.substring(0, gatewayAndPrefix.indexOf('/'));
        int gatewayBits = ipv4(gateway, "gateway");
        int prefix;
        try {
            prefix = Integer.parseInt(gatewayAndPrefix.substring(gatewayAndPrefix.indexOf('/') + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid subnet prefix in " + gatewayAndPrefix);
        }
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("subnet prefix must be between 8 and 30: " + gatewayAndPrefix);
        }
        int mask = -1 << (32 - prefix);
        int network = gatewayBits & mask;
        if ((host & mask) != network || host == network || host == gatewayBits || host == (network | ~mask)) {
            throw new IllegalArgumentException("address " + address + " is not a host address of subnet "
                    + gatewayAndPrefix);
        }
        if (eni.macAddress() == null || !MAC.matcher(eni.macAddress()).matches()
                || (Integer.parseInt(eni.macAddress().substring(0, 2), 16) & 1) != 0) {
            throw new IllegalArgumentException("invalid unicast macAddress " + eni.macAddress());
        }
        String networkAddress = dotted(network);
        return Optional.of(new TaskInterface(eni.attachmentArn(), address, eni.macAddress().toLowerCase(), gateway,
                prefix, networkAddress + "/" + prefix,
                NETWORK_NAME_PREFIX + networkAddress.replace('.', '-') + "-" + prefix, eni.privateDnsName(),
                eni.domainNameServers(), eni.domainName(), Boolean.TRUE.equals(eni.assignPublicIp())));
    }

    /** {@code gateway/prefix}, as ECS shows the subnet's gateway. */
    public String gatewayWithPrefix() {
        return gateway + "/" + prefixLength;
    }

    private static int ipv4(String text, String what) {
        String[] parts = text == null ? new String[0] : text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("invalid IPv4 " + what + ": " + text);
        }
        int bits = 0;
        for (String part : parts) {
            if (!part.matches("[0-9]{1,3}") || Integer.parseInt(part) > 255) {
                throw new IllegalArgumentException("invalid IPv4 " + what + ": " + text);
            }
            bits = bits << 8 | Integer.parseInt(part);
        }
        return bits;
    }

    private static String dotted(int bits) {
        return (bits >>> 24) + "." + (bits >>> 16 & 0xff) + "." + (bits >>> 8 & 0xff) + "." + (bits & 0xff);
    }
}
