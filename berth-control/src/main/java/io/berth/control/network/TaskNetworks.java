package io.berth.control.network;

import io.berth.control.placement.Demand;
import io.berth.control.state.Kind;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.state.Transaction;
import io.berth.model.Arns;
import io.berth.model.acs.ElasticNetworkInterface;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.Attachment;
import software.amazon.awssdk.services.ecs.model.AttachmentStateChange;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * awsvpc networking as the rest of the control plane asks for it: the check of a request's network configuration,
 * the address and interface a new task gets, how its attachment follows the agent's reports, the interface its agent
 * receives, and the address given back when it stops.
 */
public final class TaskNetworks {

    /** The range subnets' blocks are drawn from when the operator names none. */
    public static final Cidr DEFAULT_RANGE = Cidr.parse("10.200.0.0/16");
    /** The size of a subnet's block. */
    public static final int SUBNET_PREFIX = 24;
    /** What this package stores. */
    public static final List<Kind<?>> KINDS = List.of(SubnetBlocks.KIND, TaskEnis.KIND);

    private static final Set<String> FARGATE_PROVIDERS = Set.of("FARGATE", "FARGATE_SPOT");

    private final SubnetBlocks blocks;
    private final Supplier<RandomGenerator> random;

    /** Subnets drawn from the default range. */
    public TaskNetworks(State state) {
        this(state, DEFAULT_RANGE);
    }

    /** @param range where the blocks of subnets come from ({@code berth server --task-network-range}) */
    public TaskNetworks(State state, Cidr range) {
        this(state, range, SUBNET_PREFIX, ThreadLocalRandom::current);
    }

    TaskNetworks(State state, Cidr range, int subnetPrefix, Supplier<RandomGenerator> random) {
        this.blocks = new SubnetBlocks(state, range, subnetPrefix);
        this.random = random;
    }

    /**
     * The network configuration a task of the definition runs with, checked as ECS checks it: null unless the
     * definition's network mode is awsvpc; a public address only on Fargate (its launch type or its capacity
     * providers).
     */
    public static NetworkConfiguration check(NetworkConfiguration asked, TaskDefinition definition, String launchType,
            List<CapacityProviderStrategyItem> strategy) {
        boolean fargate = strategy == null || strategy.isEmpty() ? "FARGATE".equals(launchType)
                : strategy.stream().allMatch(item -> FARGATE_PROVIDERS.contains(item.capacityProvider()));
        return NetworkRules.check(asked, definition.networkModeAsString(), fargate);
    }

    /** As {@link #check(NetworkConfiguration, TaskDefinition, String, List)} without capacity providers. */
    public static NetworkConfiguration check(NetworkConfiguration asked, TaskDefinition definition, String launchType) {
        return check(asked, definition, launchType, List.of());
    }

    /**
     * The new task with an address of one of the configuration's subnets and its interface attachment, the address
     * taken in the same write. When no subnet has a free address the task comes back STOPPED, as ECS stops a task
     * it cannot give an interface: the caller then records it as it is and claims nothing for it.
     */
    public Task attach(Transaction tx, Task task, NetworkConfiguration network) {
        AwsVpcConfiguration vpc = network.awsvpcConfiguration();
        List<String> subnets = vpc.subnets();
        RandomGenerator generator = random.get();
        int start = generator.nextInt(subnets.size());
        String region = Arns.region(task.taskArn()).orElse(null);
        for (int i = 0; i < subnets.size(); i++) {
            String subnet = subnets.get((start + i) % subnets.size());
            Optional<TaskEni> eni = blocks.of(tx.scope(), subnet).flatMap(block -> TaskEnis.take(tx, task.taskArn(),
                    subnet, block, vpc.assignPublicIp() == AssignPublicIp.ENABLED,
                    vpc.hasSecurityGroups() ? vpc.securityGroups() : List.of(), generator));
            if (eni.isPresent()) {
                return EniAttachments.attached(task, eni.get(), region);
            }
        }
        return EniAttachments.failed(task, subnets.get(start), task.createdAt());
    }

    /** Whether {@link #attach} found no address for the task, which then ended STOPPED. */
    public static boolean failedToAttach(Task task) {
        return EniAttachments.of(task).filter(a -> EniAttachments.FAILED.equals(a.status())).isPresent();
    }

    /** Gives a STOPPED task's address back to its subnet; nothing for a task without one. */
    public static void release(Transaction tx, Task task) {
        EniAttachments.of(task).ifPresent(attachment -> {
            Optional<String> subnet = EniAttachments.detail(attachment, EniAttachments.SUBNET_ID);
            Optional<String> address = EniAttachments.detail(attachment, EniAttachments.PRIVATE_ADDRESS);
            if (subnet.isPresent() && address.isPresent()) {
                TaskEnis.release(tx, task.taskArn(), subnet.get(), address.get());
            }
        });
    }

    /**
     * The task after an agent's report, its attachments following the reported ones and its status; see
     * {@link EniAttachments#follow}. A reported attachment that is not the task's own is refused.
     */
    public static Task follow(Task task, List<AttachmentStateChange> reported) {
        if (reported.isEmpty() && task.attachments().isEmpty()) {
            return task;
        }
        return EniAttachments.follow(task, reported);
    }

    /** The interface the task's agent receives with it; null for a task without one. */
    public static ElasticNetworkInterface interfaceOf(Region region, Task task) {
        Optional<Attachment> attachment = EniAttachments.of(task);
        if (attachment.isEmpty()) {
            return null;
        }
        Optional<String> subnet = EniAttachments.detail(attachment.get(), EniAttachments.SUBNET_ID);
        Optional<String> address = EniAttachments.detail(attachment.get(), EniAttachments.PRIVATE_ADDRESS);
        if (subnet.isEmpty() || address.isEmpty()) {
            return null;
        }
        return region.get(TaskEnis.KIND, TaskEnis.key(subnet.get(), address.get()))
                .filter(eni -> eni.taskArn().equals(task.taskArn()))
                .map(eni -> EniAttachments.payload(task, attachment.get(), eni))
                .orElse(null);
    }

    /**
     * What a task takes from its instance: with a public address the host publishes the task's container ports on
     * the same numbers, so they are the task's host ports; otherwise an awsvpc task takes no host port.
     */
    public static Demand demand(Demand demand, TaskDefinition definition, NetworkConfiguration network) {
        if (network == null || network.awsvpcConfiguration() == null
                || network.awsvpcConfiguration().assignPublicIp() != AssignPublicIp.ENABLED) {
            return demand;
        }
        Set<String> tcp = new TreeSet<>(demand.tcpPorts());
        Set<String> udp = new TreeSet<>(demand.udpPorts());
        for (ContainerDefinition container : definition.containerDefinitions()) {
            for (PortMapping mapping : container.portMappings()) {
                if (mapping.containerPort() != null) {
                    ("udp".equals(mapping.protocolAsString()) ? udp : tcp).add(String.valueOf(mapping.containerPort()));
                }
            }
        }
        return new Demand(demand.cpu(), demand.memory(), tcp, udp, demand.requiredAttributes());
    }
}
