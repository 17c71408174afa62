package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.model.acs.AckRequest;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.ElasticNetworkInterface;
import io.berth.model.acs.PayloadMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Attachment;
import software.amazon.awssdk.services.ecs.model.AttachmentStateChange;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * awsvpc tasks and services through the SDK against a running server, with an agent played over a real ACS session
 * on an instance that advertises {@code ecs.capability.task-eni}.
 */
class AwsvpcApiTest extends ApiTest {

    private static final String SUBNET = "subnet-0123456789abcdef0";

    private static NetworkConfiguration network(String assignPublicIp, String... subnets) {
        return NetworkConfiguration.builder().awsvpcConfiguration(AwsVpcConfiguration.builder().subnets(subnets)
                .securityGroups("sg-0123abcd").assignPublicIp(assignPublicIp).build()).build();
    }

    /** A cluster with an instance able to run awsvpc tasks, and an awsvpc family {@code web} listening on 80. */
    private static ContainerInstance awsvpcCluster(String cluster) {
        ecs.createCluster(r -> r.clusterName(cluster));
        List<Attribute> attributes = new ArrayList<>(Instances.agentAttributes());
        attributes.add(Attribute.builder().name("ecs.capability.task-eni").build());
        ContainerInstance instance = Instances.register(ecs, cluster, b -> b.attributes(attributes));
        ecs.registerTaskDefinition(r -> r.family("web").networkMode("awsvpc").containerDefinitions(c -> c.name("web")
                .image("berth-test/busybox").memory(32).command("httpd", "-f", "-p", "80")
                .portMappings(p -> p.containerPort(80))));
        return instance;
    }

    private static Attachment eni(Task task) {
        return task.attachments().stream().filter(a -> "ElasticNetworkInterface".equals(a.type())).findFirst()
                .orElseThrow();
    }

    private static String detail(Task task, String name) {
        return eni(task).details().stream().filter(d -> name.equals(d.name())).map(KeyValuePair::value).findFirst()
                .orElseThrow();
    }

    private static String attachmentArn(Task task) {
        return "arn:aws:ecs:us-east-1:" + berth.accountId() + ":attachment/" + eni(task).id();
    }

    private static Task describe(String cluster, String taskArn) {
        return ecs.describeTasks(r -> r.cluster(cluster).tasks(taskArn)).tasks().get(0);
    }

    @Test
    void anAwsvpcTaskGetsItsAddressItsAgentTheInterfaceAndTheAttachmentFollowsTheTask() throws Exception {
        ContainerInstance instance = awsvpcCluster("vpc-run");
        try (AgentSocket socket = AgentSocket.open(berth.endpoint(), berth.key(), RunningBerth.REGION,
                AgentSocket.acsQuery("vpc-run", instance.containerInstanceArn()))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> ecs.describeContainerInstances(r -> r.cluster("vpc-run")
                    .containerInstances(instance.containerInstanceArn())).containerInstances().get(0).agentConnected());
            Task task = ecs.runTask(r -> r.cluster("vpc-run").taskDefinition("web").networkConfiguration(
                    network(null, SUBNET))).tasks().get(0);

            PayloadMessage payload = socket.next(PayloadMessage.class, Duration.ofSeconds(10));
            socket.send(new AckRequest("vpc-run", instance.containerInstanceArn(), payload.messageId()));
            AcsTask sent = payload.tasks().get(0);
            ElasticNetworkInterface sentEni = sent.elasticNetworkInterfaces().get(0);
            ecs.submitTaskStateChange(r -> r.cluster("vpc-run").task(task.taskArn()).attachments(
                    AttachmentStateChange.builder().attachmentArn(attachmentArn(task)).status("ATTACHED").build()));
            Task confirmed = describe("vpc-run", task.taskArn());
            ecs.submitTaskStateChange(r -> r.cluster("vpc-run").task(task.taskArn()).status("RUNNING"));
            Task stopping = ecs.stopTask(r -> r.cluster("vpc-run").task(task.taskArn())).task();
            ecs.submitTaskStateChange(r -> r.cluster("vpc-run").task(task.taskArn()).status("STOPPED"));
            Task stopped = describe("vpc-run", task.taskArn());

            assertThat(eni(task).status()).isEqualTo("PRECREATED");
            assertThat(detail(task, "subnetId")).isEqualTo(SUBNET);
            assertThat(detail(task, "networkInterfaceId")).matches("eni-[0-9a-f]{17}");
            assertThat(detail(task, "privateIPv4Address")).startsWith("10.200.");
            assertThat(task.containers().get(0).networkInterfaces()).singleElement()
                    .satisfies(n -> assertThat(n.privateIpv4Address()).isEqualTo(detail(task, "privateIPv4Address")));
            assertThat(sent.networkMode()).isEqualTo("awsvpc");
            assertThat(sent.containers().get(0).portMappings().get(0).hostPort()).isEqualTo(80);
            assertThat(sentEni.attachmentArn()).isEqualTo(attachmentArn(task));
            assertThat(sentEni.ec2Id()).isEqualTo(detail(task, "networkInterfaceId"));
            assertThat(sentEni.macAddress()).isEqualTo(detail(task, "macAddress"));
            assertThat(sentEni.primaryAddress()).isEqualTo(detail(task, "privateIPv4Address"));
            assertThat(sentEni.subnetGatewayIpv4Address()).matches("10\\.200\\.\\d+\\.1/24");
            assertThat(sentEni.privateDnsName()).isEqualTo(detail(task, "privateDnsName"));
            assertThat(sentEni.assignPublicIp()).isFalse();
            assertThat(eni(confirmed).status()).isEqualTo("ATTACHED");
            assertThat(eni(stopping).status()).isEqualTo("ATTACHED");
            assertThat(eni(stopped).status()).isEqualTo("DELETED");
        }
    }

    @Test
    void runTaskAndStartTaskCheckTheNetworkConfigurationAsEcsDoes() {
        ContainerInstance instance = awsvpcCluster("vpc-errors");
        ecs.registerTaskDefinition(r -> r.family("bridged").containerDefinitions(c -> c.name("web")
                .image("berth-test/busybox").memory(32)));

        refused(() -> ecs.runTask(r -> r.cluster("vpc-errors").taskDefinition("web")),
                "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        refused(() -> ecs.runTask(r -> r.cluster("vpc-errors").taskDefinition("bridged")
                .networkConfiguration(network(null, SUBNET))),
                "Network Configuration is not valid for the given networkMode of this task definition.");
        refused(() -> ecs.runTask(r -> r.cluster("vpc-errors").taskDefinition("web")
                .networkConfiguration(network("ENABLED", SUBNET))),
                "Assign public IP is not supported for this launch type.");
        refused(() -> ecs.runTask(r -> r.cluster("vpc-errors").taskDefinition("web")
                .networkConfiguration(network(null))), "subnets can not be empty.");
        refused(() -> ecs.startTask(r -> r.cluster("vpc-errors").taskDefinition("web")
                .containerInstances(instance.containerInstanceArn()).networkConfiguration(network(null, "subnet-1"))),
                "Error retrieving subnet information for [subnet-1]: The subnet ID 'subnet-1' does not exist "
                        + "(ErrorCode: InvalidSubnetID.NotFound)");
        refused(() -> ecs.runTask(r -> r.cluster("vpc-errors").taskDefinition("web").networkConfiguration(
                n -> n.awsvpcConfiguration(a -> a.subnets(SUBNET).securityGroups("sg-1", "sg-2", "sg-3", "sg-4",
                        "sg-5", "sg-6")))), "securityGroups can have at most 5 items.");
        assertThat(ecs.listTasks(r -> r.cluster("vpc-errors")).taskArns()).isEmpty();
    }

    @Test
    void anAgentCannotConfirmAnotherTasksAttachment() {
        awsvpcCluster("vpc-hostile");
        List<Task> tasks = ecs.runTask(r -> r.cluster("vpc-hostile").taskDefinition("web").count(2)
                .networkConfiguration(network(null, SUBNET))).tasks();

        refused(() -> ecs.submitTaskStateChange(r -> r.cluster("vpc-hostile").task(tasks.get(0).taskArn())
                .attachments(AttachmentStateChange.builder().attachmentArn(attachmentArn(tasks.get(1)))
                        .status("ATTACHED").build())), "The referenced attachment was not found.");

        assertThat(eni(describe("vpc-hostile", tasks.get(1).taskArn())).status()).isEqualTo("PRECREATED");
        assertThat(tasks).extracting(t -> detail(t, "privateIPv4Address")).doesNotHaveDuplicates();
    }

    @Test
    void aServiceShowsItsNetworkConfigurationAndUpdateServiceChangesIt() {
        awsvpcCluster("vpc-service");

        refused(() -> ecs.createService(r -> r.cluster("vpc-service").serviceName("web").taskDefinition("web")
                .desiredCount(1)), "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        Service created = ecs.createService(r -> r.cluster("vpc-service").serviceName("web").taskDefinition("web")
                .desiredCount(1).networkConfiguration(network(null, SUBNET))).service();
        Service updated = ecs.updateService(r -> r.cluster("vpc-service").service("web")
                .networkConfiguration(network(null, "subnet-89abcdef"))).service();
        Service described = ecs.describeServices(r -> r.cluster("vpc-service").services("web")).services().get(0);

        assertThat(created.networkConfiguration()).isEqualTo(network("DISABLED", SUBNET));
        assertThat(updated.deployments()).hasSize(2);
        assertThat(described.networkConfiguration()).isEqualTo(network("DISABLED", "subnet-89abcdef"));
        assertThat(described.deployments().get(0).networkConfiguration())
                .isEqualTo(network("DISABLED", "subnet-89abcdef"));
        refused(() -> ecs.updateService(r -> r.cluster("vpc-service").service("web")
                .networkConfiguration(network("ENABLED", SUBNET))),
                "Assign public IP is not supported for this launch type.");
    }

    private static void refused(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidParameterException.class,
                e -> assertThat(((EcsException) e).awsErrorDetails().errorMessage()).isEqualTo(message));
    }
}
