package io.berth.control.network;

import io.berth.model.EcsException;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;

/** What RunTask, StartTask, CreateService, UpdateService and CreateTaskSet accept as a network configuration. */
final class NetworkRules {

    static final int MAX_SUBNETS = 16;
    static final int MAX_SECURITY_GROUPS = 5;
    private static final Pattern SUBNET = Pattern.compile("subnet-([0-9a-f]{8}|[0-9a-f]{17})");
    private static final Pattern SECURITY_GROUP = Pattern.compile("sg-([0-9a-f]{8}|[0-9a-f]{17})");
    // An id quoted back in a message is cut here: a hostile one could be as long as the request.
    private static final int QUOTED = 64;

    private NetworkRules() {
    }

    /**
     * The configuration a task of the network mode runs with: null for a mode other than awsvpc, which takes none;
     * for awsvpc the awsvpc configuration checked, with {@code assignPublicIp} DISABLED unless asked.
     *
     * @param publicIpAllowed whether the launch can have a public address (Fargate's can, EC2's cannot)
     */
    static NetworkConfiguration check(NetworkConfiguration asked, String networkMode, boolean publicIpAllowed) {
        if (!"awsvpc".equals(networkMode)) {
            if (asked != null) {
                throw EcsException.invalidParameter("Network Configuration is not valid for the given networkMode "
                        + "of this task definition.");
            }
            return null;
        }
        if (asked == null || asked.awsvpcConfiguration() == null) {
            throw EcsException.invalidParameter(
                    "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        }
        AwsVpcConfiguration vpc = asked.awsvpcConfiguration();
        List<String> subnets = vpc.hasSubnets() ? vpc.subnets() : List.of();
        if (subnets.isEmpty()) {
            throw EcsException.invalidParameter("subnets can not be empty.");
        }
        if (subnets.size() > MAX_SUBNETS) {
            throw EcsException.invalidParameter("subnets can have at most " + MAX_SUBNETS + " items.");
        }
        for (String subnet : subnets) {
            if (subnet == null || !SUBNET.matcher(subnet).matches()) {
                String id = quoted(subnet);
                throw EcsException.invalidParameter("Error retrieving subnet information for [" + id
                        + "]: The subnet ID '" + id + "' does not exist (ErrorCode: InvalidSubnetID.NotFound)");
            }
        }
        List<String> groups = vpc.hasSecurityGroups() ? vpc.securityGroups() : List.of();
        if (groups.size() > MAX_SECURITY_GROUPS) {
            throw EcsException.invalidParameter("securityGroups can have at most " + MAX_SECURITY_GROUPS + " items.");
        }
        for (String group : groups) {
            if (group == null || group.isBlank()) {
                throw EcsException.invalidParameter("security group cannot be blank");
            }
            if (!SECURITY_GROUP.matcher(group).matches()) {
                String id = quoted(group);
                throw EcsException.invalidParameter("Error retrieving security group information for [" + id
                        + "]: The security group '" + id + "' does not exist (ErrorCode: InvalidGroup.NotFound)");
            }
        }
        AssignPublicIp publicIp = vpc.assignPublicIp() == null ? AssignPublicIp.DISABLED : vpc.assignPublicIp();
        if (publicIp == AssignPublicIp.UNKNOWN_TO_SDK_VERSION) {
            throw EcsException.invalidParameter("assignPublicIp must be ENABLED or DISABLED, not "
                    + quoted(vpc.assignPublicIpAsString()) + ".");
        }
        if (publicIp == AssignPublicIp.ENABLED && !publicIpAllowed) {
            throw EcsException.invalidParameter("Assign public IP is not supported for this launch type.");
        }
        return NetworkConfiguration.builder().awsvpcConfiguration(AwsVpcConfiguration.builder()
                .subnets(subnets)
                .securityGroups(groups.isEmpty() ? null : groups)
                .assignPublicIp(publicIp)
                .build()).build();
    }

    private static String quoted(String id) {
        if (id == null) {
            return "";
        }
        return id.length() > QUOTED ? id.substring(0, QUOTED) + "..." : id;
    }
}
