package io.berth.control.task;

import static io.berth.control.task.TaskWorld.CALLER;
import static io.berth.control.task.TaskWorld.SCOPE;
import static io.berth.control.task.TaskWorld.TASK_ENI;
import static io.berth.control.task.TaskWorld.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.network.TaskNetworks;
import io.berth.model.EcsException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Attachment;
import software.amazon.awssdk.services.ecs.model.AttachmentStateChange;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.StartTaskRequest;
import software.amazon.awssdk.services.ecs.model.StopTaskRequest;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.Task;

/** Tasks of awsvpc definitions: their network configuration, address, attachment and its life. */
class AwsvpcTasksTest {

    private static final String SUBNET = "subnet-0123456789abcdef0";

    private final TaskWorld world = new TaskWorld().cluster("prod");

    @AfterEach
    void close() {
        world.close();
    }

    private static NetworkConfiguration network(String assignPublicIp, String... subnets) {
        return NetworkConfiguration.builder().awsvpcConfiguration(AwsVpcConfiguration.builder().subnets(subnets)
                .securityGroups("sg-0123abcd").assignPublicIp(assignPublicIp).build()).build();
    }

    private ContainerInstance host() {
        return world.instance("prod", "i1", 4096, 4096, Attribute.builder().name(TASK_ENI).build());
    }

    private RunTaskResponse run(int count, NetworkConfiguration network) {
        return world.tasks.runTask(CALLER, RunTaskRequest.builder().cluster("prod").taskDefinition("web")
                .count(count).networkConfiguration(network).build());
    }

    private static Attachment eni(Task task) {
        return task.attachments().stream().filter(a -> "ElasticNetworkInterface".equals(a.type())).findFirst()
                .orElseThrow();
    }

    private static String detail(Task task, String name) {
        return eni(task).details().stream().filter(d -> name.equals(d.name())).map(KeyValuePair::value).findFirst()
                .orElseThrow();
    }

    private void reportAttachment(Task task, String attachmentArn) {
        world.tasks.submitTaskStateChange(CALLER, SubmitTaskStateChangeRequest.builder().cluster("prod")
                .task(task.taskArn()).attachments(AttachmentStateChange.builder().attachmentArn(attachmentArn)
                        .status("ATTACHED").build()).build());
    }

    @Test
    void runTaskGivesEachTaskItsOwnAddressAndAPrecreatedInterfaceAndTakesNoHostPort() {
        world.awsvpcDefinition("web", 80);
        ContainerInstance host = host();

        List<Task> tasks = run(3, network("DISABLED", SUBNET)).tasks();
        Task described = world.describe(tasks.get(0));

        assertThat(tasks).hasSize(3).allSatisfy(task -> {
            assertThat(eni(task).status()).isEqualTo("PRECREATED");
            assertThat(detail(task, "subnetId")).isEqualTo(SUBNET);
            assertThat(detail(task, "privateIPv4Address")).startsWith("10.200.");
            assertThat(task.containers().get(0).networkInterfaces()).singleElement().satisfies(n -> {
                assertThat(n.attachmentId()).isEqualTo(eni(task).id());
                assertThat(n.privateIpv4Address()).isEqualTo(detail(task, "privateIPv4Address"));
            });
            assertThat(task.containers().get(0).networkBindings()).isEmpty();
        });
        assertThat(tasks).extracting(t -> detail(t, "privateIPv4Address")).doesNotHaveDuplicates();
        assertThat(described.attachments()).isEqualTo(tasks.get(0).attachments());
        assertThat(world.usedPorts(host)).doesNotContain("80");
    }

    @Test
    void theNetworkConfigurationIsRequiredForAwsvpcAndRefusedForOtherModes() {
        world.awsvpcDefinition("web", 80);
        world.definition("bridged", 64, 64);
        ContainerInstance host = host();

        assertThatThrownBy(() -> run(1, null)).isInstanceOfSatisfying(EcsException.class, e -> {
            assertThat(e.code()).isEqualTo("InvalidParameterException");
            assertThat(e.getMessage()).isEqualTo(
                    "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        });
        assertThatThrownBy(() -> world.tasks.runTask(CALLER, RunTaskRequest.builder().cluster("prod")
                .taskDefinition("bridged").networkConfiguration(network(null, SUBNET)).build()))
                .isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "Network Configuration is not valid for the given networkMode of this task definition."));
        assertThatThrownBy(() -> run(1, network("ENABLED", SUBNET))).isInstanceOfSatisfying(EcsException.class,
                e -> assertThat(e.getMessage()).isEqualTo("Assign public IP is not supported for this launch type."));
        assertError(() -> run(1, network(null, "subnet-nope")), "InvalidParameterException");
        assertError(() -> world.tasks.startTask(CALLER, StartTaskRequest.builder().cluster("prod").taskDefinition("web")
                .containerInstances(host.containerInstanceArn()).build()), "InvalidParameterException");
        assertThat(world.state.region(SCOPE).all(Tasks.KIND)).isEmpty();
    }

    @Test
    void startTaskPlacesAnAwsvpcTaskWithItsAddressOnTheNamedInstance() {
        world.awsvpcDefinition("web", 80);
        ContainerInstance host = host();

        Task task = world.tasks.startTask(CALLER, StartTaskRequest.builder().cluster("prod").taskDefinition("web")
                .containerInstances(host.containerInstanceArn()).networkConfiguration(network(null, SUBNET)).build())
                .tasks().get(0);

        assertThat(task.containerInstanceArn()).isEqualTo(host.containerInstanceArn());
        assertThat(detail(task, "subnetId")).isEqualTo(SUBNET);
    }

    @Test
    void theInterfaceIsAttachedOnTheAgentsWordOrWhenRunningAndDeletedWhenStoppedWhichFreesTheAddress() {
        world.awsvpcDefinition("web", 80);
        host();
        List<Task> tasks = run(2, network(null, SUBNET)).tasks();
        Task confirmed = tasks.get(0);
        Task running = tasks.get(1);

        reportAttachment(confirmed, SCOPE.arn("attachment/" + eni(confirmed).id()));
        world.report(running, "RUNNING");
        Task stopping = world.tasks.stopTask(CALLER, StopTaskRequest.builder().cluster("prod")
                .task(running.taskArn()).build()).task();
        world.report(running, "STOPPED");

        assertThat(eni(world.describe(confirmed)).status()).isEqualTo("ATTACHED");
        assertThat(world.describe(confirmed).version()).isEqualTo(2L);
        assertThat(eni(stopping).status()).isEqualTo("ATTACHED");
        assertThat(eni(world.describe(running)).status()).isEqualTo("DELETED");
        assertThat(TaskNetworks.interfaceOf(world.state.region(SCOPE), world.describe(running))).isNull();
        assertThat(TaskNetworks.interfaceOf(world.state.region(SCOPE), world.describe(confirmed))).isNotNull();
    }

    @Test
    void anAgentCannotReportAnotherTasksAttachment() {
        world.awsvpcDefinition("web", 80);
        host();
        List<Task> tasks = run(2, network(null, SUBNET)).tasks();
        String othersArn = SCOPE.arn("attachment/" + eni(tasks.get(1)).id());

        assertThatThrownBy(() -> reportAttachment(tasks.get(0), othersArn)).isInstanceOfSatisfying(EcsException.class,
                e -> {
                    assertThat(e.code()).isEqualTo("InvalidParameterException");
                    assertThat(e.getMessage()).isEqualTo("The referenced attachment was not found.");
                });
        assertThat(world.describe(tasks.get(0)).attachments()).isEqualTo(tasks.get(0).attachments());
        assertThat(world.describe(tasks.get(0)).version()).isEqualTo(1L);
    }

    @Test
    void aTaskOnAFullSubnetStopsAsEcsStopsOneWithoutAnAddressAndTakesNothingFromTheInstance() {
        world.awsvpcDefinition("web", 80);
        ContainerInstance host = world.instance("prod", "i1", 1_000_000, 1_000_000,
                Attribute.builder().name(TASK_ENI).build());
        // A /24 gives 253 addresses: not the network, the gateway (.1) or the broadcast.
        for (int i = 0; i < 25; i++) {
            assertThat(run(10, network(null, SUBNET)).tasks()).noneMatch(TaskNetworks::failedToAttach);
        }
        assertThat(run(3, network(null, SUBNET)).tasks()).noneMatch(TaskNetworks::failedToAttach);
        int memoryLeft = world.remainingMemory(host);

        Task failed = run(1, network(null, SUBNET)).tasks().get(0);

        assertThat(failed.lastStatus()).isEqualTo("STOPPED");
        assertThat(failed.stopCodeAsString()).isEqualTo("TaskFailedToStart");
        assertThat(failed.stoppedReason()).isEqualTo("Unexpected EC2 error while attempting to Create Network "
                + "Interface in subnet '" + SUBNET + "': InsufficientFreeAddressesInSubnet");
        assertThat(world.describe(failed).lastStatus()).isEqualTo("STOPPED");
        assertThat(world.describe(failed).containerInstanceArn()).isNull();
        assertThat(world.remainingMemory(host)).isEqualTo(memoryLeft);
    }

    @Test
    void addressesStayWithTheirTasksAcrossARestart() {
        world.awsvpcDefinition("web", 80);
        host();
        Task before = run(1, network(null, SUBNET)).tasks().get(0);

        try (TaskWorld restarted = world.restarted()) {
            Task after = restarted.describe(before);
            Task next = restarted.tasks.runTask(CALLER, RunTaskRequest.builder().cluster("prod").taskDefinition("web")
                    .networkConfiguration(network(null, SUBNET)).build()).tasks().get(0);

            assertThat(after.attachments()).isEqualTo(before.attachments());
            assertThat(TaskNetworks.interfaceOf(restarted.state.region(SCOPE), after).primaryAddress())
                    .isEqualTo(detail(before, "privateIPv4Address"));
            assertThat(detail(next, "privateIPv4Address")).isNotEqualTo(detail(before, "privateIPv4Address"));
        }
    }
}
