package io.berth.control.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.model.EcsException;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;

/** The network configuration a request may give, checked with ECS's messages. */
class NetworkRulesTest {

    static final String SUBNET = "subnet-0123456789abcdef0";
    static final String GROUP = "sg-0123abcd";

    static NetworkConfiguration network(List<String> subnets, List<String> groups, String assignPublicIp) {
        return NetworkConfiguration.builder().awsvpcConfiguration(AwsVpcConfiguration.builder().subnets(subnets)
                .securityGroups(groups).assignPublicIp(assignPublicIp).build()).build();
    }

    @Test
    void anAwsvpcTaskRunsWithItsSubnetsAndGroupsAndNoPublicAddressUnlessAsked() {
        NetworkConfiguration checked = NetworkRules.check(network(List.of(SUBNET, "subnet-89abcdef"), List.of(GROUP),
                null), "awsvpc", false);

        assertThat(checked.awsvpcConfiguration().subnets()).containsExactly(SUBNET, "subnet-89abcdef");
        assertThat(checked.awsvpcConfiguration().securityGroups()).containsExactly(GROUP);
        assertThat(checked.awsvpcConfiguration().assignPublicIp()).isEqualTo(AssignPublicIp.DISABLED);
        assertThat(NetworkRules.check(network(List.of(SUBNET), List.of(), "ENABLED"), "awsvpc", true)
                .awsvpcConfiguration().assignPublicIp()).isEqualTo(AssignPublicIp.ENABLED);
    }

    @Test
    void otherModesTakeNoConfigurationAndAwsvpcNeedsOne() {
        assertThat(NetworkRules.check(null, "bridge", false)).isNull();
        assertThat(NetworkRules.check(null, null, false)).isNull();
        refused(() -> NetworkRules.check(network(List.of(SUBNET), List.of(), null), "bridge", false),
                "Network Configuration is not valid for the given networkMode of this task definition.");
        refused(() -> NetworkRules.check(network(List.of(SUBNET), List.of(), null), "host", true),
                "Network Configuration is not valid for the given networkMode of this task definition.");
        refused(() -> NetworkRules.check(null, "awsvpc", false),
                "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        refused(() -> NetworkRules.check(NetworkConfiguration.builder().build(), "awsvpc", false),
                "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    }

    @Test
    void subnetsAreOneToSixteenWellFormedIds() {
        refused(() -> NetworkRules.check(network(List.of(), List.of(), null), "awsvpc", false),
                "subnets can not be empty.");
        List<String> seventeen = IntStream.range(0, 17).mapToObj(i -> "subnet-%08x".formatted(i)).toList();
        refused(() -> NetworkRules.check(network(seventeen, List.of(), null), "awsvpc", false),
                "subnets can have at most 16 items.");
        assertThat(NetworkRules.check(network(seventeen.subList(0, 16), List.of(), null), "awsvpc", false)
                .awsvpcConfiguration().subnets()).hasSize(16);
        for (String bad : List.of("", "subnet-", "subnet-XYZ12345", "subnet-0123456", "vpc-01234567", "subnet-1234567890")) {
            refused(() -> NetworkRules.check(network(List.of(bad), List.of(), null), "awsvpc", false),
                    "Error retrieving subnet information for [" + bad + "]: The subnet ID '" + bad
                            + "' does not exist (ErrorCode: InvalidSubnetID.NotFound)");
        }
        refused(() -> NetworkRules.check(network(Collections.singletonList(null), List.of(), null), "awsvpc", false),
                "Error retrieving subnet information for []: The subnet ID '' does not exist "
                        + "(ErrorCode: InvalidSubnetID.NotFound)");
    }

    @Test
    void aHugeIdIsQuotedCut() {
        String huge = "subnet-" + "f".repeat(100_000);

        assertThatThrownBy(() -> NetworkRules.check(network(List.of(huge), List.of(), null), "awsvpc", false))
                .isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    @Test
    void securityGroupsAreAtMostFiveWellFormedIds() {
        List<String> six = IntStream.range(0, 6).mapToObj(i -> "sg-%08x".formatted(i)).toList();
        refused(() -> NetworkRules.check(network(List.of(SUBNET), six, null), "awsvpc", false),
                "securityGroups can have at most 5 items.");
        refused(() -> NetworkRules.check(network(List.of(SUBNET), List.of(" "), null), "awsvpc", false),
                "security group cannot be blank");
        refused(() -> NetworkRules.check(network(List.of(SUBNET), List.of("sg-nothex!"), null), "awsvpc", false),
                "Error retrieving security group information for [sg-nothex!]: The security group 'sg-nothex!' "
                        + "does not exist (ErrorCode: InvalidGroup.NotFound)");
        assertThat(NetworkRules.check(network(List.of(SUBNET), six.subList(0, 5), null), "awsvpc", false)
                .awsvpcConfiguration().securityGroups()).hasSize(5);
    }

    @Test
    void aPublicAddressIsEnabledOrDisabledAndOnlyWhereTheLaunchCanHaveOne() {
        refused(() -> NetworkRules.check(network(List.of(SUBNET), List.of(), "ENABLED"), "awsvpc", false),
                "Assign public IP is not supported for this launch type.");
        refused(() -> NetworkRules.check(network(List.of(SUBNET), List.of(), "YES"), "awsvpc", true),
                "assignPublicIp must be ENABLED or DISABLED, not YES.");
    }

    static void refused(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EcsException.class, e -> {
            assertThat(e.code()).isEqualTo("InvalidParameterException");
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }
}
