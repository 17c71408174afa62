package io.berth.control.service;

import static io.berth.control.service.ServiceWorld.CALLER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.model.EcsException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.CreateTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskSet;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/** Services and task sets of awsvpc definitions: their network configuration and their tasks' addresses. */
class AwsvpcServicesTest {

    private static final String SUBNET = "subnet-0123456789abcdef0";
    private static final String OTHER_SUBNET = "subnet-89abcdef";

    private final ServiceWorld world = new ServiceWorld().cluster("c");

    @AfterEach
    void close() {
        world.close();
    }

    private static NetworkConfiguration network(String subnet, String assignPublicIp) {
        return NetworkConfiguration.builder().awsvpcConfiguration(AwsVpcConfiguration.builder().subnets(subnet)
                .securityGroups("sg-0123abcd").assignPublicIp(assignPublicIp).build()).build();
    }

    private Service create(TaskDefinition definition, NetworkConfiguration network) {
        return world.plane.services().createService(CALLER, CreateServiceRequest.builder().cluster("c")
                .serviceName("web").taskDefinition(definition.taskDefinitionArn()).desiredCount(2)
                .networkConfiguration(network).build()).service();
    }

    private Service update(UpdateServiceRequest.Builder request) {
        return world.plane.services().updateService(CALLER, request.cluster("c").service("web").build()).service();
    }

    private static String detail(Task task, String name) {
        return task.attachments().get(0).details().stream().filter(d -> name.equals(d.name()))
                .map(KeyValuePair::value).findFirst().orElseThrow();
    }

    @Test
    void aServiceKeepsAndShowsItsNetworkConfigurationAndItsTasksGetAddressesOfTheirOwn() {
        TaskDefinition web = world.registerAwsvpc("web", "nginx:1");
        world.awsvpcInstance("c", "i1");

        Service created = create(web, network(SUBNET, null));
        world.settle("c");
        Service described = world.plane.services().describeServices(CALLER, DescribeServicesRequest.builder()
                .cluster("c").services("web").build()).services().get(0);
        List<Task> tasks = world.liveTasksOf("c", "web");

        NetworkConfiguration expected = network(SUBNET, "DISABLED");
        assertThat(created.networkConfiguration()).isEqualTo(expected);
        assertThat(described.networkConfiguration()).isEqualTo(expected);
        assertThat(described.deployments()).singleElement()
                .satisfies(d -> assertThat(d.networkConfiguration()).isEqualTo(expected));
        assertThat(described.runningCount()).isEqualTo(2);
        assertThat(tasks).hasSize(2).allSatisfy(t -> {
            assertThat(detail(t, "subnetId")).isEqualTo(SUBNET);
            assertThat(t.attachments().get(0).status()).isEqualTo("ATTACHED");
        });
        assertThat(tasks).extracting(t -> detail(t, "privateIPv4Address")).doesNotHaveDuplicates();
        String revisionArn = Deployments.revisionArn(ServiceWorld.SCOPE, "c", "web", described.deployments().get(0).id());
        assertThat(world.plane.services().describeServiceRevisions(CALLER, DescribeServiceRevisionsRequest.builder()
                .serviceRevisionArns(revisionArn).build()).serviceRevisions())
                .singleElement().satisfies(r -> assertThat(r.networkConfiguration()).isEqualTo(expected));
    }

    @Test
    void updateServiceWithAnotherNetworkConfigurationRollsTheTasksOntoIt() {
        TaskDefinition web = world.registerAwsvpc("web", "nginx:1");
        world.awsvpcInstance("c", "i1");
        create(web, network(SUBNET, null));
        world.settle("c");

        Service unchanged = update(UpdateServiceRequest.builder().desiredCount(2));
        Service moved = update(UpdateServiceRequest.builder().networkConfiguration(network(OTHER_SUBNET, null)));
        world.settle("c");

        assertThat(unchanged.deployments()).hasSize(1);
        assertThat(unchanged.networkConfiguration()).isEqualTo(network(SUBNET, "DISABLED"));
        assertThat(moved.networkConfiguration()).isEqualTo(network(OTHER_SUBNET, "DISABLED"));
        assertThat(moved.deployments()).hasSize(2);
        assertThat(moved.deployments().get(0).networkConfiguration()).isEqualTo(network(OTHER_SUBNET, "DISABLED"));
        assertThat(world.liveTasksOf("c", "web")).hasSize(2)
                .allSatisfy(t -> assertThat(detail(t, "subnetId")).isEqualTo(OTHER_SUBNET));
    }

    @Test
    void createAndUpdateServiceCheckTheNetworkConfigurationAsEcsDoes() {
        TaskDefinition web = world.registerAwsvpc("web", "nginx:1");
        TaskDefinition bridged = world.register("bridged", "nginx:1");
        world.awsvpcInstance("c", "i1");

        refused(() -> create(web, null),
                "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        refused(() -> create(bridged, network(SUBNET, null)),
                "Network Configuration is not valid for the given networkMode of this task definition.");
        refused(() -> create(web, network(SUBNET, "ENABLED")), "Assign public IP is not supported for this launch type.");
        refused(() -> create(web, network("subnet-zz", null)), "Error retrieving subnet information for [subnet-zz]: "
                + "The subnet ID 'subnet-zz' does not exist (ErrorCode: InvalidSubnetID.NotFound)");
        create(web, network(SUBNET, null));
        refused(() -> update(UpdateServiceRequest.builder().networkConfiguration(network("subnet-", null))),
                "Error retrieving subnet information for [subnet-]: The subnet ID 'subnet-' does not exist "
                        + "(ErrorCode: InvalidSubnetID.NotFound)");
        refused(() -> update(UpdateServiceRequest.builder().taskDefinition(bridged.taskDefinitionArn())
                .networkConfiguration(network(SUBNET, null))),
                "Network Configuration is not valid for the given networkMode of this task definition.");
        assertThat(world.service("c", "web").deployments()).hasSize(1);
    }

    @Test
    void aServiceMovedToABridgeRevisionLeavesItsNetworkConfigurationBehind() {
        TaskDefinition web = world.registerAwsvpc("web", "nginx:1");
        TaskDefinition bridged = world.register("bridged", "nginx:1");
        world.awsvpcInstance("c", "i1");
        create(web, network(SUBNET, null));

        Service moved = update(UpdateServiceRequest.builder().taskDefinition(bridged.taskDefinitionArn()));

        assertThat(moved.networkConfiguration()).isNull();
        assertThat(moved.deployments().get(0).networkConfiguration()).isNull();
    }

    @Test
    void aTaskSetRunsItsTasksOnItsOwnNetworkConfiguration() {
        TaskDefinition web = world.registerAwsvpc("web", "nginx:1");
        world.awsvpcInstance("c", "i1");
        world.plane.services().createService(CALLER, CreateServiceRequest.builder().cluster("c").serviceName("web")
                .desiredCount(2).deploymentController(d -> d.type("EXTERNAL")).build());

        refused(() -> world.plane.taskSets().createTaskSet(CALLER, CreateTaskSetRequest.builder().cluster("c")
                .service("web").taskDefinition(web.taskDefinitionArn()).build()),
                "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        TaskSet blue = world.plane.taskSets().createTaskSet(CALLER, CreateTaskSetRequest.builder().cluster("c")
                .service("web").taskDefinition(web.taskDefinitionArn()).externalId("blue")
                .networkConfiguration(network(OTHER_SUBNET, null)).build()).taskSet();
        world.settle("c");

        assertThat(blue.networkConfiguration()).isEqualTo(network(OTHER_SUBNET, "DISABLED"));
        assertThat(world.service("c", "web").taskSets().get(0).networkConfiguration())
                .isEqualTo(network(OTHER_SUBNET, "DISABLED"));
        assertThat(world.liveTasksOf("c", "web")).hasSize(2)
                .allSatisfy(t -> assertThat(detail(t, "subnetId")).isEqualTo(OTHER_SUBNET));
    }

    private static void refused(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EcsException.class, e -> {
            assertThat(e.code()).isEqualTo("InvalidParameterException");
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }
}
