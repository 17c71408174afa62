package io.berth.control.network;

import java.util.List;

/**
 * The network interface of a live awsvpc task, stored under its address ({@link TaskEnis#key}) so that no address of
 * a subnet is handed out twice: what the task's attachment does not show (the subnet's block, whether its ports are
 * published, its security groups) is kept here for its agent.
 *
 * @param cidr the subnet's block, {@code 10.200.3.0/24}
 * @param assignPublicIp whether the host publishes the task's container ports, Berth's stand-in for a public address
 */
record TaskEni(String taskArn, String subnetId, String cidr, String privateAddress, String macAddress,
        String networkInterfaceId, String attachmentId, boolean assignPublicIp, List<String> securityGroups) {

    TaskEni {
        securityGroups = securityGroups == null ? List.of() : List.copyOf(securityGroups);
    }
}
