package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.AttachmentStateChange;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerStateChange;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.PlatformUnknownException;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.StartTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;

class TaskApiTest extends ApiTest {

    private static final String UNKNOWN_ID = "0123456789abcdef0123456789abcdef";

    private static String taskArn(String cluster, String id) {
        return "arn:aws:ecs:us-east-1:" + berth.accountId() + ":task/" + cluster + "/" + id;
    }

    @Test
    void runTaskNeedsAnExistingClusterAndTaskDefinition() {
        ecs.createCluster(r -> r.clusterName("run-errors"));

        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("no-such-cluster").taskDefinition("web")))
                .isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("run-errors").taskDefinition("no-such-family:1")))
                .isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> ecs.startTask(r -> r.cluster("run-errors").taskDefinition("no-such-family")
                .containerInstances("i1")))
                .isInstanceOf(ClientException.class);
    }

    @Test
    void aTaskWhoseRoleCannotBeAssumedIsRefusedRatherThanRunWithoutIt() {
        ecs.createCluster(r -> r.clusterName("no-roles"));
        ContainerInstance instance = Instances.registerWithTaskRoles(ecs, "no-roles");
        String role = "arn:aws:iam::" + berth.accountId() + ":role/app";
        ecs.registerTaskDefinition(r -> r.family("needs-role").taskRoleArn(role)
                .containerDefinitions(c -> c.name("app").image("berth-test/busybox").memory(32)));

        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("no-roles").taskDefinition("needs-role")))
                .isInstanceOf(ClientException.class)
                .hasMessageStartingWith("ECS was unable to assume the role '" + role + "'");
        assertThatThrownBy(() -> ecs.startTask(r -> r.cluster("no-roles").taskDefinition("needs-role")
                .containerInstances(instance.containerInstanceArn())))
                .isInstanceOf(ClientException.class)
                .hasMessageStartingWith("ECS was unable to assume the role '" + role + "'");
        assertThat(ecs.listTasks(r -> r.cluster("no-roles")).taskArns()).isEmpty();
    }

    @Test
    void runTaskRefusesBadCountsAndUnknownFargatePlatforms() {
        ecs.createCluster(r -> r.clusterName("run-shape"));

        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("run-shape").taskDefinition("web").count(11)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("run-shape").taskDefinition("web")
                .launchType(LaunchType.FARGATE).platformVersion("0.0.1")))
                .isInstanceOf(PlatformUnknownException.class)
                .hasMessageContaining("The specified platform version doesn't exist.");
        assertThatThrownBy(() -> ecs.startTask(r -> r.cluster("run-shape").taskDefinition("web")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void stopTaskOfAnUnknownTaskIsAnInvalidParameter() {
        ecs.createCluster(r -> r.clusterName("stop-errors"));

        assertThatThrownBy(() -> ecs.stopTask(r -> r.cluster("stop-errors").task(UNKNOWN_ID)))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("The referenced task was not found.");
        assertThatThrownBy(() -> ecs.stopTask(r -> r.cluster("no-such-cluster").task(UNKNOWN_ID)))
                .isInstanceOf(ClusterNotFoundException.class);
    }

    @Test
    void describeTasksReportsUnknownTasksAsMissing() {
        ecs.createCluster(r -> r.clusterName("describe-missing"));

        DescribeTasksResponse response = ecs.describeTasks(r -> r.cluster("describe-missing").tasks(UNKNOWN_ID));

        assertThat(response.tasks()).isEmpty();
        assertThat(response.failures()).singleElement().satisfies(f -> {
            assertThat(f.arn()).isEqualTo(taskArn("describe-missing", UNKNOWN_ID));
            assertThat(f.reason()).isEqualTo("MISSING");
        });
        assertThatThrownBy(() -> ecs.describeTasks(r -> r.cluster("describe-missing")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void listTasksOfAnEmptyClusterIsEmpty() {
        ecs.createCluster(r -> r.clusterName("list-empty"));

        assertThat(ecs.listTasks(r -> r.cluster("list-empty")).taskArns()).isEmpty();
        assertThat(ecs.listTasks(r -> r.cluster("list-empty").desiredStatus("STOPPED")).taskArns()).isEmpty();
        assertThatThrownBy(() -> ecs.listTasks(r -> r.cluster("list-empty").maxResults(101)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.listTasks(r -> r.cluster("no-such-cluster")))
                .isInstanceOf(ClusterNotFoundException.class);
    }

    @Test
    void agentReportsAboutUnknownTasksAreInvalidParameters() {
        ecs.createCluster(r -> r.clusterName("reports"));

        assertThatThrownBy(() -> ecs.submitTaskStateChange(r -> r.cluster("reports")
                .task(taskArn("reports", UNKNOWN_ID)).status("RUNNING")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.submitContainerStateChange(r -> r.cluster("reports")
                .task(taskArn("reports", UNKNOWN_ID)).containerName("web").status("RUNNING")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void attachmentReportsAreAcknowledged() {
        ecs.createCluster(r -> r.clusterName("attachments"));

        String acknowledgment = ecs.submitAttachmentStateChanges(r -> r.cluster("attachments")
                .attachments(AttachmentStateChange.builder()
                        .attachmentArn("arn:aws:ecs:us-east-1:" + berth.accountId() + ":attachment/a1")
                        .status("ATTACHED").build()))
                .acknowledgment();

        assertThat(acknowledgment).isEqualTo("ACK");
    }

    private static String registerFamily(String family, int cpu, int memory, Integer hostPort) {
        return ecs.registerTaskDefinition(r -> r.family(family).networkMode(NetworkMode.BRIDGE)
                .containerDefinitions(ContainerDefinition.builder().name("app").image("busybox:latest")
                        .cpu(cpu).memory(memory).essential(true)
                        .portMappings(hostPort == null ? List.of() : List.of(PortMapping.builder()
                                .containerPort(hostPort).hostPort(hostPort).protocol(TransportProtocol.TCP).build()))
                        .build()))
                .taskDefinition().taskDefinitionArn();
    }

    private static ContainerInstance registerInstance(String cluster, int cpu, int memory) {
        return ecs.registerContainerInstance(r -> r.cluster(cluster)
                .instanceIdentityDocument("").instanceIdentityDocumentSignature("")
                .totalResources(
                        Resource.builder().name("CPU").type("INTEGER").integerValue(cpu).build(),
                        Resource.builder().name("MEMORY").type("INTEGER").integerValue(memory).build(),
                        Resource.builder().name("PORTS").type("STRINGSET").stringSetValue("22").build(),
                        Resource.builder().name("PORTS_UDP").type("STRINGSET").stringSetValue(List.of()).build())
                .attributes(Attribute.builder().name("ecs.availability-zone").value("zone-a").build()))
                .containerInstance();
    }

    private static ContainerInstance describeInstance(String cluster, ContainerInstance instance) {
        return ecs.describeContainerInstances(r -> r.cluster(cluster)
                .containerInstances(instance.containerInstanceArn())).containerInstances().get(0);
    }

    private static int remaining(ContainerInstance instance, String name) {
        return instance.remainingResources().stream().filter(r -> name.equals(r.name())).findFirst()
                .orElseThrow().integerValue();
    }

    @Test
    void runTaskPlacesAPendingTaskOnARegisteredInstance() {
        ecs.createCluster(r -> r.clusterName("flow-run"));
        String definitionArn = registerFamily("flow-run-web", 256, 300, null);
        ContainerInstance instance = registerInstance("flow-run", 1024, 1024);

        RunTaskResponse response = ecs.runTask(r -> r.cluster("flow-run").taskDefinition("flow-run-web")
                .startedBy("api-test"));

        assertThat(response.failures()).isEmpty();
        Task task = response.tasks().get(0);
        assertThat(task.taskArn()).matches("arn:aws:ecs:us-east-1:" + berth.accountId() + ":task/flow-run/[0-9a-f]{32}");
        assertThat(task.taskDefinitionArn()).isEqualTo(definitionArn);
        assertThat(task.containerInstanceArn()).isEqualTo(instance.containerInstanceArn());
        assertThat(task.lastStatus()).isEqualTo("PENDING");
        assertThat(task.desiredStatus()).isEqualTo("RUNNING");
        assertThat(task.startedBy()).isEqualTo("api-test");
        assertThat(task.availabilityZone()).isEqualTo("zone-a");
        assertThat(task.containers()).extracting(Container::name).containsExactly("app");
        assertThat(remaining(describeInstance("flow-run", instance), "MEMORY")).isEqualTo(724);
        assertThat(ecs.describeTasks(r -> r.cluster("flow-run").tasks(task.taskArn())).tasks())
                .extracting(Task::taskArn).containsExactly(task.taskArn());
        assertThat(ecs.listTasks(r -> r.cluster("flow-run").startedBy("api-test")).taskArns())
                .containsExactly(task.taskArn());
    }

    @Test
    void tasksThatDoNotFitAreFailuresWithTheResourceNamed() {
        ecs.createCluster(r -> r.clusterName("flow-full"));
        registerFamily("flow-full-big", 10, 400, null);
        registerFamily("flow-full-port", 10, 10, 8080);
        ContainerInstance instance = registerInstance("flow-full", 4096, 512);

        RunTaskResponse memory = ecs.runTask(r -> r.cluster("flow-full").taskDefinition("flow-full-big").count(2));
        RunTaskResponse ports = ecs.runTask(r -> r.cluster("flow-full").taskDefinition("flow-full-port").count(2));

        assertThat(memory.tasks()).hasSize(1);
        assertThat(memory.failures()).singleElement().satisfies(f -> {
            assertThat(f.arn()).isEqualTo(instance.containerInstanceArn());
            assertThat(f.reason()).isEqualTo("RESOURCE:MEMORY");
        });
        assertThat(ports.tasks()).hasSize(1);
        assertThat(ports.failures()).extracting(Failure::reason).containsExactly("RESOURCE:PORTS");
    }

    @Test
    void stopTaskThenTheAgentsStoppedReportGivesTheResourcesBackExactly() {
        ecs.createCluster(r -> r.clusterName("flow-stop"));
        registerFamily("flow-stop-web", 300, 200, 9090);
        ContainerInstance instance = registerInstance("flow-stop", 1024, 1024);
        ContainerInstance before = describeInstance("flow-stop", instance);
        Task task = ecs.runTask(r -> r.cluster("flow-stop").taskDefinition("flow-stop-web")).tasks().get(0);

        ecs.submitTaskStateChange(r -> r.cluster("flow-stop").task(task.taskArn()).status("RUNNING")
                .containers(ContainerStateChange.builder().containerName("app").status("RUNNING").runtimeId("d1")
                        .networkBindings(NetworkBinding.builder().bindIP("0.0.0.0").containerPort(9090).hostPort(9090)
                                .protocol(TransportProtocol.TCP).build()).build()));
        Task stopping = ecs.stopTask(r -> r.cluster("flow-stop").task(task.taskArn()).reason("done")).task();
        ContainerInstance whileStopping = describeInstance("flow-stop", instance);
        String ack = ecs.submitTaskStateChange(r -> r.cluster("flow-stop").task(task.taskArn()).status("STOPPED")
                .containers(ContainerStateChange.builder().containerName("app").status("STOPPED").exitCode(0).build()))
                .acknowledgment();
        ecs.submitTaskStateChange(r -> r.cluster("flow-stop").task(task.taskArn()).status("STOPPED"));
        Task stopped = ecs.describeTasks(r -> r.cluster("flow-stop").tasks(task.taskArn())).tasks().get(0);
        ContainerInstance after = describeInstance("flow-stop", instance);

        assertThat(stopping.lastStatus()).isEqualTo("RUNNING");
        assertThat(stopping.desiredStatus()).isEqualTo("STOPPED");
        assertThat(remaining(whileStopping, "CPU")).isEqualTo(remaining(before, "CPU") - 300);
        assertThat(ack).isEqualTo("ACK");
        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stopCodeAsString()).isEqualTo("UserInitiated");
        assertThat(stopped.stoppedReason()).isEqualTo("done");
        assertThat(stopped.containers().get(0).exitCode()).isZero();
        assertThat(after.remainingResources()).containsExactlyInAnyOrderElementsOf(before.remainingResources());
        assertThat(ecs.listTasks(r -> r.cluster("flow-stop").desiredStatus(DesiredStatus.STOPPED)).taskArns())
                .containsExactly(task.taskArn());
    }

    @Test
    void startTaskRunsOnTheNamedInstancesAndReportsMissingOnes() {
        ecs.createCluster(r -> r.clusterName("flow-start"));
        registerFamily("flow-start-web", 10, 10, null);
        ContainerInstance instance = registerInstance("flow-start", 1024, 1024);

        StartTaskResponse response = ecs.startTask(r -> r.cluster("flow-start").taskDefinition("flow-start-web")
                .containerInstances(instance.containerInstanceArn(), "0000"));

        assertThat(response.tasks()).extracting(Task::containerInstanceArn)
                .containsExactly(instance.containerInstanceArn());
        assertThat(response.failures()).extracting(Failure::reason).containsExactly("MISSING");
    }

    @Test
    void aRetriedRunTaskWithItsClientTokenGetsTheSameTask() {
        ecs.createCluster(r -> r.clusterName("flow-token"));
        registerFamily("flow-token-web", 10, 10, null);
        registerInstance("flow-token", 1024, 1024);

        Task first = ecs.runTask(r -> r.cluster("flow-token").taskDefinition("flow-token-web").clientToken("retry-1"))
                .tasks().get(0);
        Task retried = ecs.runTask(r -> r.cluster("flow-token").taskDefinition("flow-token-web").clientToken("retry-1"))
                .tasks().get(0);

        assertThat(retried.taskArn()).isEqualTo(first.taskArn());
    }

    @Test
    void containerReportsAndListingByInstanceAndFamily() {
        ecs.createCluster(r -> r.clusterName("flow-list"));
        registerFamily("flow-list-web", 10, 10, null);
        registerFamily("flow-list-db", 10, 10, null);
        ContainerInstance instance = registerInstance("flow-list", 1024, 1024);
        List<String> web = ecs.runTask(r -> r.cluster("flow-list").taskDefinition("flow-list-web").count(3)).tasks()
                .stream().map(Task::taskArn).toList();
        Task db = ecs.runTask(r -> r.cluster("flow-list").taskDefinition("flow-list-db")).tasks().get(0);

        String ack = ecs.submitContainerStateChange(r -> r.cluster("flow-list").task(db.taskArn())
                .containerName("app").status("RUNNING").runtimeId("c0ffee")).acknowledgment();

        assertThat(ack).isEqualTo("ACK");
        assertThat(ecs.describeTasks(r -> r.cluster("flow-list").tasks(db.taskArn())).tasks().get(0).containers()
                .get(0).runtimeId()).isEqualTo("c0ffee");
        assertThat(ecs.listTasks(r -> r.cluster("flow-list").family("flow-list-web")).taskArns())
                .containsExactlyInAnyOrderElementsOf(web);
        assertThat(ecs.listTasksPaginator(r -> r.cluster("flow-list").containerInstance(instance.containerInstanceArn())
                .maxResults(1)).taskArns()).hasSize(4).contains(db.taskArn());
        assertThat(ecs.describeContainerInstances(r -> r.cluster("flow-list")
                .containerInstances(instance.containerInstanceArn())).containerInstances().get(0).pendingTasksCount())
                .isEqualTo(4);
    }

    @Test
    void aClusterWithoutInstancesRefusesRunTask() {
        ecs.createCluster(r -> r.clusterName("flow-empty"));
        registerFamily("flow-empty-web", 10, 10, null);

        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("flow-empty").taskDefinition("flow-empty-web")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("No Container Instances were found in your cluster.");
    }
}
