package io.berth.control.network;

import static io.berth.control.network.NetworkRulesTest.SUBNET;
import static io.berth.control.network.NetworkRulesTest.network;
import static io.berth.control.network.NetworkRulesTest.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.ControlPlane;
import io.berth.control.Scope;
import io.berth.control.placement.Demand;
import io.berth.control.state.State;
import io.berth.control.store.MemoryStore;
import io.berth.model.acs.ElasticNetworkInterface;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Attachment;
import software.amazon.awssdk.services.ecs.model.AttachmentStateChange;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** Subnet blocks, task addresses and interface attachments, over a state that a restart reads back. */
class TaskNetworksTest {

    private static final Scope SCOPE = new Scope("aws", "123456789012", "us-east-1");
    private static final Scope OTHER_ACCOUNT = new Scope("aws", "210987654321", "eu-west-1");
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final NetworkConfiguration ONE_SUBNET = network(List.of(SUBNET), List.of("sg-0123abcd"), "DISABLED");

    private final MemoryStore store = new MemoryStore();
    private State state = new State(store, ControlPlane.KINDS);
    private int taskCount;

    @AfterEach
    void close() {
        state.close();
    }

    private TaskNetworks networks(String range, int prefix) {
        return new TaskNetworks(state, Cidr.parse(range), prefix, () -> new SplittableRandom(7));
    }

    private Task newTask(Scope scope) {
        String arn = scope.arn("task/prod/" + "%032x".formatted(++taskCount));
        return Task.builder().taskArn(arn).createdAt(NOW).lastStatus("PENDING").desiredStatus("RUNNING")
                .containerInstanceArn(scope.arn("container-instance/prod/i1")).attachments(List.of())
                .containers(Container.builder().name("app").networkBindings(List.of()).build()).build();
    }

    private Task attach(TaskNetworks networks, Scope scope, NetworkConfiguration network) {
        return state.write(scope, tx -> networks.attach(tx, newTask(scope), network));
    }

    private void stop(Task task, Scope scope) {
        state.write(scope, tx -> {
            TaskNetworks.release(tx, task);
            return null;
        });
    }

    private static String detail(Task task, String name) {
        return EniAttachments.of(task).orElseThrow().details().stream().filter(d -> name.equals(d.name()))
                .map(KeyValuePair::value).findFirst().orElse(null);
    }

    private static String address(Task task) {
        return detail(task, "privateIPv4Address");
    }

    @Test
    void aTaskGetsAnAddressOfItsSubnetsBlockWithAPrecreatedInterface() {
        Task task = attach(networks("10.200.0.0/16", 24), SCOPE, ONE_SUBNET);

        Attachment eni = EniAttachments.of(task).orElseThrow();
        assertThat(eni.type()).isEqualTo("ElasticNetworkInterface");
        assertThat(eni.status()).isEqualTo("PRECREATED");
        assertThat(eni.details()).extracting(KeyValuePair::name).containsExactly("subnetId", "networkInterfaceId",
                "macAddress", "privateDnsName", "privateIPv4Address");
        assertThat(detail(task, "subnetId")).isEqualTo(SUBNET);
        assertThat(detail(task, "networkInterfaceId")).matches("eni-[0-9a-f]{17}");
        assertThat(detail(task, "macAddress")).matches("0a(:[0-9a-f]{2}){5}");
        assertThat(address(task)).startsWith("10.200.0.").isNotIn("10.200.0.0", "10.200.0.1", "10.200.0.255");
        assertThat(detail(task, "privateDnsName")).isEqualTo("ip-" + address(task).replace('.', '-') + ".ec2.internal");
        assertThat(task.containers().get(0).networkInterfaces()).singleElement().satisfies(n -> {
            assertThat(n.attachmentId()).isEqualTo(eni.id());
            assertThat(n.privateIpv4Address()).isEqualTo(address(task));
        });
        assertThat(TaskNetworks.failedToAttach(task)).isFalse();
    }

    @Test
    void theAgentReceivesTheInterfaceWithItsGatewayAndWhetherItsPortsArePublished() {
        NetworkConfiguration published = network(List.of(SUBNET), List.of(), "ENABLED");
        Task task = attach(networks("10.200.0.0/16", 24), SCOPE, published);

        ElasticNetworkInterface eni = TaskNetworks.interfaceOf(state.region(SCOPE), task);

        assertThat(eni.attachmentArn()).isEqualTo(SCOPE.arn("attachment/" + EniAttachments.of(task).orElseThrow().id()));
        assertThat(eni.ec2Id()).isEqualTo(detail(task, "networkInterfaceId"));
        assertThat(eni.index()).isZero();
        assertThat(eni.macAddress()).isEqualTo(detail(task, "macAddress"));
        assertThat(eni.primaryAddress()).isEqualTo(address(task));
        assertThat(eni.subnetGatewayIpv4Address()).isEqualTo("10.200.0.1/24");
        assertThat(eni.privateDnsName()).isEqualTo(detail(task, "privateDnsName"));
        assertThat(eni.interfaceAssociationProtocol()).isEqualTo("default");
        assertThat(eni.assignPublicIp()).isTrue();
        assertThat(TaskNetworks.interfaceOf(state.region(SCOPE), newTask(SCOPE))).isNull();
    }

    @Test
    void subnetsGetBlocksOfTheirOwnInEveryAccountAndRegionAndKeepThemAcrossARestart() {
        TaskNetworks networks = networks("10.200.0.0/16", 24);
        Task first = attach(networks, SCOPE, ONE_SUBNET);
        Task otherSubnet = attach(networks, SCOPE, network(List.of("subnet-89abcdef"), List.of(), null));
        Task otherAccount = attach(networks, OTHER_ACCOUNT, ONE_SUBNET);

        state.close();
        state = new State(store, ControlPlane.KINDS);
        Task again = attach(networks("10.200.0.0/16", 24), SCOPE, ONE_SUBNET);

        assertThat(address(first)).startsWith("10.200.0.");
        assertThat(address(otherSubnet)).startsWith("10.200.1.");
        assertThat(address(otherAccount)).startsWith("10.200.2.");
        assertThat(address(again)).startsWith("10.200.0.").isNotEqualTo(address(first));
        assertThat(detail(otherAccount, "privateDnsName")).endsWith(".eu-west-1.compute.internal");
    }

    @Test
    void noAddressIsHandedOutTwiceAmongLiveTasksEvenAfterARestart() {
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            addresses.add(address(attach(networks("10.200.0.0/16", 24), SCOPE, ONE_SUBNET)));
        }
        state.close();
        state = new State(store, ControlPlane.KINDS);
        for (int i = 0; i < 153; i++) {
            addresses.add(address(attach(networks("10.200.0.0/16", 24), SCOPE, ONE_SUBNET)));
        }

        assertThat(addresses).hasSize(253).doesNotContain("10.200.0.0", "10.200.0.1", "10.200.0.255");
    }

    @Test
    void aFullSubnetFailsTheTaskAsEcsDoesAndAStoppedTaskGivesItsAddressBack() {
        // A /29 has 5 addresses to give: not the network, the gateway or the broadcast.
        TaskNetworks networks = networks("10.200.0.0/29", 29);
        List<Task> live = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            live.add(attach(networks, SCOPE, ONE_SUBNET));
        }

        Task failed = attach(networks, SCOPE, ONE_SUBNET);
        stop(live.get(2), SCOPE);
        stop(live.get(2), SCOPE);
        Task replacement = attach(networks, SCOPE, ONE_SUBNET);

        assertThat(live).extracting(TaskNetworksTest::address).doesNotHaveDuplicates();
        assertThat(TaskNetworks.failedToAttach(failed)).isTrue();
        assertThat(failed.lastStatus()).isEqualTo("STOPPED");
        assertThat(failed.desiredStatus()).isEqualTo("STOPPED");
        assertThat(failed.stopCodeAsString()).isEqualTo("TaskFailedToStart");
        assertThat(failed.stoppedReason()).isEqualTo("Unexpected EC2 error while attempting to Create Network "
                + "Interface in subnet '" + SUBNET + "': InsufficientFreeAddressesInSubnet");
        assertThat(failed.stoppedAt()).isEqualTo(NOW);
        assertThat(failed.containerInstanceArn()).isNull();
        assertThat(failed.containers()).allSatisfy(c -> assertThat(c.lastStatus()).isEqualTo("STOPPED"));
        assertThat(EniAttachments.of(failed).orElseThrow().status()).isEqualTo("FAILED");
        assertThat(address(replacement)).isEqualTo(address(live.get(2)));
        assertThat(TaskNetworks.interfaceOf(state.region(SCOPE), live.get(2))).isNull();
    }

    @Test
    void aTaskTakesAnAddressOfAnyOfItsSubnetsThatHasOne() {
        TaskNetworks networks = networks("10.200.0.0/28", 29);
        NetworkConfiguration two = network(List.of(SUBNET, "subnet-89abcdef"), List.of(), null);
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tasks.add(attach(networks, SCOPE, two));
        }

        Task eleventh = attach(networks, SCOPE, two);

        assertThat(tasks).noneMatch(TaskNetworks::failedToAttach);
        assertThat(tasks).extracting(TaskNetworksTest::address).doesNotHaveDuplicates();
        assertThat(TaskNetworks.failedToAttach(eleventh)).isTrue();
    }

    @Test
    void aRangeWithNoFreeBlockFailsTheTasksOfNewSubnets() {
        TaskNetworks networks = networks("10.200.0.0/29", 29);
        attach(networks, SCOPE, ONE_SUBNET);

        Task failed = attach(networks, SCOPE, network(List.of("subnet-89abcdef"), List.of(), null));

        assertThat(TaskNetworks.failedToAttach(failed)).isTrue();
    }

    @Test
    void theInterfaceIsAttachedWhenConfirmedOrRunningAndDeletedWhenStopped() {
        Task task = attach(networks("10.200.0.0/16", 24), SCOPE, ONE_SUBNET);
        String arn = SCOPE.arn("attachment/" + EniAttachments.of(task).orElseThrow().id());

        Task confirmed = TaskNetworks.follow(task, List.of(change(arn, "ATTACHED")));
        Task backwards = TaskNetworks.follow(confirmed, List.of(change(arn, "PRECREATED")));
        Task running = TaskNetworks.follow(task.toBuilder().lastStatus("RUNNING").build(), List.of());
        Task stopped = TaskNetworks.follow(confirmed.toBuilder().lastStatus("STOPPED").build(), List.of());

        assertThat(EniAttachments.of(confirmed).orElseThrow().status()).isEqualTo("ATTACHED");
        assertThat(EniAttachments.of(backwards).orElseThrow().status()).isEqualTo("ATTACHED");
        assertThat(EniAttachments.of(running).orElseThrow().status()).isEqualTo("ATTACHED");
        assertThat(EniAttachments.of(stopped).orElseThrow().status()).isEqualTo("DELETED");
    }

    @Test
    void anAttachmentThatIsNotTheTasksOwnOrAStatusEcsDoesNotKnowIsRefused() {
        TaskNetworks networks = networks("10.200.0.0/16", 24);
        Task task = attach(networks, SCOPE, ONE_SUBNET);
        Task other = attach(networks, SCOPE, ONE_SUBNET);
        String id = EniAttachments.of(task).orElseThrow().id();
        String otherArn = SCOPE.arn("attachment/" + EniAttachments.of(other).orElseThrow().id());

        refused(() -> TaskNetworks.follow(task, List.of(change(otherArn, "ATTACHED"))),
                "The referenced attachment was not found.");
        refused(() -> TaskNetworks.follow(task, List.of(change("x" + SCOPE.arn("attachment/" + id), "ATTACHED"))),
                "The referenced attachment was not found.");
        refused(() -> TaskNetworks.follow(task, List.of(change(OTHER_ACCOUNT.arn("attachment/" + id), "ATTACHED"))),
                "The referenced attachment was not found.");
        refused(() -> TaskNetworks.follow(task, List.of(change(null, "ATTACHED"))),
                "The referenced attachment was not found.");
        refused(() -> TaskNetworks.follow(newTask(SCOPE), List.of(change(otherArn, "ATTACHED"))),
                "The referenced attachment was not found.");
        refused(() -> TaskNetworks.follow(task, List.of(change(SCOPE.arn("attachment/" + id), "PLUGGED"))),
                "Invalid attachment status: PLUGGED.");
    }

    @Test
    void anAwsvpcTasksContainersShowNoHostBindings() {
        Task task = attach(networks("10.200.0.0/16", 24), SCOPE, ONE_SUBNET);
        Task reported = task.toBuilder().containers(task.containers().get(0).toBuilder()
                .networkBindings(NetworkBinding.builder().containerPort(80).hostPort(80).build()).build()).build();

        assertThat(TaskNetworks.follow(reported, List.of()).containers().get(0).networkBindings()).isEmpty();
    }

    @Test
    void onlyAPublishedTaskTakesItsContainerPortsOnTheHost() {
        TaskDefinition definition = TaskDefinition.builder().networkMode("awsvpc").containerDefinitions(
                ContainerDefinition.builder().name("app").portMappings(
                        PortMapping.builder().containerPort(80).hostPort(80).protocol("tcp").build(),
                        PortMapping.builder().containerPort(53).protocol("udp").build()).build()).build();
        Demand demand = Demand.of(definition, null);

        Demand published = TaskNetworks.demand(demand, definition, network(List.of(SUBNET), List.of(), "ENABLED"));

        assertThat(demand.tcpPorts()).isEmpty();
        assertThat(demand.udpPorts()).isEmpty();
        assertThat(TaskNetworks.demand(demand, definition, ONE_SUBNET)).isEqualTo(demand);
        assertThat(published.tcpPorts()).containsExactly("80");
        assertThat(published.udpPorts()).containsExactly("53");
    }

    private static AttachmentStateChange change(String arn, String status) {
        return AttachmentStateChange.builder().attachmentArn(arn).status(status).build();
    }
}
