package io.berth.control.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.Caller;
import io.berth.control.ControlPlane;
import io.berth.control.Scope;
import io.berth.control.state.State;
import io.berth.control.store.MemoryStore;
import io.berth.control.task.Tasks;
import io.berth.model.EcsException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ListContainerInstancesRequest;
import software.amazon.awssdk.services.ecs.model.DiscoverPollEndpointRequest;
import software.amazon.awssdk.services.ecs.model.DescribeContainerInstancesRequest;
import software.amazon.awssdk.services.ecs.model.DeregisterContainerInstanceRequest;
import software.amazon.awssdk.services.ecs.model.PutAttributesRequest;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceField;
import software.amazon.awssdk.services.ecs.model.PlatformDevice;
import software.amazon.awssdk.services.ecs.model.RegisterContainerInstanceRequest;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;

class ContainerInstanceServiceTest {

    private static final Scope SCOPE = new Scope("aws", "123456789012", "us-east-1");
    private static final Caller CALLER = new Caller(SCOPE, "arn:aws:iam::123456789012:root");
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final String IDENTITY = """
            {"instanceId":"i-0123456789abcdef0","availabilityZone":"us-east-1b","instanceType":"t3.large",
             "imageId":"ami-12345678","region":"us-east-1"}""";

    private final MemoryStore store = new MemoryStore();
    private State state;
    private ControlPlane controlPlane;
    private ContainerInstanceService instances;

    @BeforeEach
    void start() {
        state = new State(store, ControlPlane.KINDS);
        controlPlane = new ControlPlane(state, Clock.fixed(NOW, ZoneOffset.UTC),
                new ControlPlane.Endpoints("http://acs.example:8773/some/path", "https://tcs.example"));
        instances = controlPlane.containerInstances();
        controlPlane.clusters().createCluster(CALLER, CreateClusterRequest.builder().clusterName("prod").build());
    }

    @AfterEach
    void stop() {
        state.close();
    }

    @Test
    void registrationTakesTheIdentityDocumentIntoIdAndAttributes() {
        ContainerInstance instance = register(r -> r.instanceIdentityDocument(IDENTITY));

        assertThat(instance.containerInstanceArn())
                .matches("arn:aws:ecs:us-east-1:123456789012:container-instance/prod/[0-9a-f]{32}");
        assertThat(instance.ec2InstanceId()).isEqualTo("i-0123456789abcdef0");
        assertThat(instance.attributes()).contains(
                attribute("ecs.availability-zone", "us-east-1b"),
                attribute("ecs.instance-type", "t3.large"),
                attribute("ecs.ami-id", "ami-12345678"),
                attribute("ecs.os-type", "linux"));
        assertThat(instance.registeredAt()).isEqualTo(NOW);
        assertThat(instance.version()).isEqualTo(1L);
        assertThat(instance.agentConnected()).isFalse();
        assertThat(instance.agentUpdateStatus()).isNull();
        assertThat(instance.capacityProviderName()).isNull();
    }

    @Test
    void registrationWithoutIdentityAddsOnlyTheOsType() {
        ContainerInstance instance = register(r -> r.instanceIdentityDocument(""));

        assertThat(instance.ec2InstanceId()).isNull();
        assertThat(instance.attributes()).extracting(Attribute::name)
                .contains("ecs.os-type")
                .doesNotContain("ecs.availability-zone", "ecs.instance-type", "ecs.ami-id");
    }

    @Test
    void theAgentsOwnOsTypeIsKept() {
        ContainerInstance instance = register(r -> r.attributes(attribute("ecs.os-type", "windows")));

        assertThat(instance.attributes()).filteredOn(a -> a.name().equals("ecs.os-type"))
                .containsExactly(attribute("ecs.os-type", "windows"));
    }

    @Test
    void gpuDevicesBecomeAGpuResource() {
        ContainerInstance instance = register(r -> r.platformDevices(
                PlatformDevice.builder().id("GPU-1").type("GPU").build(),
                PlatformDevice.builder().id("GPU-2").type("GPU").build()));

        assertThat(instance.registeredResources()).contains(
                Resource.builder().name("GPU").type("STRINGSET").stringSetValue("GPU-1", "GPU-2").build());
    }

    @Test
    void reRegistrationWithTheArnKeepsWhatTasksUse() {
        ContainerInstance first = register(r -> { });
        ContainerInstance used = first.toBuilder().remainingResources(
                integer("CPU", 1024), integer("MEMORY", 3000),
                ports("PORTS", "22", "8080"), ports("PORTS_UDP")).build();
        state.write(SCOPE, tx -> {
            tx.put(ContainerInstances.KIND, ContainerInstances.key("prod", ContainerInstances.idOf(used)), used);
            return null;
        });

        ContainerInstance again = register(r -> r.containerInstanceArn(first.containerInstanceArn())
                .totalResources(integer("CPU", 4096), integer("MEMORY", 8000), ports("PORTS", "22"), ports("PORTS_UDP")));

        assertThat(again.containerInstanceArn()).isEqualTo(first.containerInstanceArn());
        assertThat(again.version()).isEqualTo(2L);
        assertThat(again.registeredResources()).contains(integer("CPU", 4096));
        assertThat(again.remainingResources()).containsExactly(
                integer("CPU", 3072), integer("MEMORY", 7236), ports("PORTS", "22", "8080"), ports("PORTS_UDP"));
        assertThat(ContainerInstances.inCluster(state.region(SCOPE), "prod")).hasSize(1);
    }

    @Test
    void reRegistrationKeepsAttributesPutSinceAndEchoesTheRequestedOnes() {
        ContainerInstance first = register(r -> { });
        instances.putAttributes(CALLER, PutAttributesRequest.builder().cluster("prod").attributes(
                Attribute.builder().name("stack").value("blue").targetId(first.containerInstanceArn()).build()).build());

        ContainerInstance again = register(r -> r.containerInstanceArn(first.containerInstanceArn())
                .attributes(attribute("ecs.capability.efs", null)));

        assertThat(again.attributes()).contains(attribute("stack", "blue"), attribute("ecs.capability.efs", null));
    }

    @Test
    void theSameEc2InstanceWithoutArnGetsItsRegistrationBack() {
        ContainerInstance first = register(r -> r.instanceIdentityDocument(IDENTITY));
        ContainerInstance second = register(r -> r.instanceIdentityDocument(IDENTITY));

        assertThat(second.containerInstanceArn()).isEqualTo(first.containerInstanceArn());
        assertThat(ContainerInstances.registeredCount(state.region(SCOPE), "prod")).isEqualTo(1);
    }

    @Test
    void aDeregisteredEc2InstanceRegistersAnew() {
        ContainerInstance first = register(r -> r.instanceIdentityDocument(IDENTITY));
        deregister(first.containerInstanceArn(), false);

        ContainerInstance second = register(r -> r.instanceIdentityDocument(IDENTITY));

        assertThat(second.containerInstanceArn()).isNotEqualTo(first.containerInstanceArn());
    }

    @Test
    void reRegisteringADeregisteredArnIsAClientException() {
        ContainerInstance first = register(r -> { });
        deregister(first.containerInstanceArn(), false);

        assertThatThrownBy(() -> register(r -> r.containerInstanceArn(first.containerInstanceArn())))
                .isInstanceOfSatisfying(EcsException.class, e -> {
                    assertThat(e.code()).isEqualTo("ClientException");
                    assertThat(e.getMessage()).endsWith("is inactive.");
                });
    }

    @Test
    void changingTheInstanceTypeIsRefused() {
        ContainerInstance first = register(r -> r.instanceIdentityDocument(IDENTITY));

        assertThatThrownBy(() -> register(r -> r.containerInstanceArn(first.containerInstanceArn())
                .instanceIdentityDocument(IDENTITY.replace("t3.large", "m5.xlarge"))))
                .hasMessage("Container instance type changes are not supported.");
    }

    @Test
    void badRegistrationsAreRefused() {
        assertThat(code(() -> register(r -> r.cluster("absent")))).isEqualTo("ClusterNotFoundException");
        assertThat(code(() -> register(r -> r.instanceIdentityDocument("{not json")))).isEqualTo("InvalidParameterException");
        assertThat(code(() -> register(r -> r.totalResources(
                Resource.builder().name("CPU").type("STRINGSET").stringSetValue("1").build()))))
                .isEqualTo("InvalidParameterException");
        assertThat(code(() -> register(r -> r.totalResources(integer("CPU", 1), integer("CPU", 2)))))
                .isEqualTo("InvalidParameterException");
        assertThat(code(() -> register(r -> r.attributes(attribute("bad name!", "x")))))
                .isEqualTo("InvalidParameterException");
        assertThat(code(() -> register(r -> r.containerInstanceArn(SCOPE.arn("container-instance/prod/abc")))))
                .isEqualTo("InvalidParameterException");
        assertThat(code(() -> register(r -> r.attributes(customAttributes(11)))))
                .isEqualTo("AttributeLimitExceededException");
    }

    @Test
    void describeCountsTheTasksOnTheInstance() {
        ContainerInstance instance = register(r -> { });
        putTask("t1", instance, "RUNNING");
        putTask("t2", instance, "RUNNING");
        putTask("t3", instance, "PENDING");
        putTask("t4", instance, "STOPPED");

        ContainerInstance described = describe(ContainerInstances.idOf(instance));

        assertThat(described.runningTasksCount()).isEqualTo(2);
        assertThat(described.pendingTasksCount()).isEqualTo(1);
    }

    @Test
    void deregisteringAnInstanceWithLiveTasksNeedsForce() {
        ContainerInstance instance = register(r -> { });
        putTask("live", instance, "PENDING");

        assertThatThrownBy(() -> deregister(instance.containerInstanceArn(), false))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.code()).isEqualTo("InvalidParameterException"));

        ContainerInstance forced = deregister(instance.containerInstanceArn(), true);
        assertThat(forced.status()).isEqualTo("INACTIVE");
        assertThat(forced.version()).isEqualTo(2L);
    }

    @Test
    void stoppedTasksDoNotHoldDeregistration() {
        ContainerInstance instance = register(r -> { });
        putTask("done", instance, "STOPPED");

        assertThat(deregister(ContainerInstances.idOf(instance), false).status())
                .isEqualTo("INACTIVE");
    }

    @Test
    void listFiltersByTheQueryLanguageWithComputedProperties() {
        ContainerInstance busy = register(r -> r.attributes(attribute("stack", "blue")));
        ContainerInstance idle = register(r -> r.attributes(attribute("stack", "green")));
        putTask("t1", busy, "RUNNING");

        assertThat(list("runningTasksCount == 1")).containsExactly(busy.containerInstanceArn());
        assertThat(list("runningTasksCount == 0 and attribute:stack == green")).containsExactly(idle.containerInstanceArn());
        assertThat(list("registeredAt >= 2025-06-01")).hasSize(2);
        assertThat(list("agentConnected == true")).isEmpty();
        assertThat(list("attribute:stack in [blue, green] and not(attribute:stack == blue)"))
                .containsExactly(idle.containerInstanceArn());
    }

    @Test
    void describedInstancesSurviveARestart() {
        ContainerInstance instance = register(r -> r.instanceIdentityDocument(IDENTITY)
                .tags(Tag.builder().key("team").value("core").build()));
        state.close();
        state = new State(store, ControlPlane.KINDS);
        instances = new ControlPlane(state, Clock.systemUTC(), new ControlPlane.Endpoints("http://a", "http://b"))
                .containerInstances();

        ContainerInstance described = describe(instance.containerInstanceArn(), ContainerInstanceField.TAGS);

        assertThat(described).isEqualTo(instance);
    }

    @Test
    void findAcceptsIdsBothArnFormsAndNoOtherCluster() {
        ContainerInstance instance = register(r -> { });
        String id = ContainerInstances.idOf(instance);
        var region = state.region(SCOPE);

        assertThat(ContainerInstances.find(region, "prod", id)).contains(instance);
        assertThat(ContainerInstances.find(region, "prod", instance.containerInstanceArn())).contains(instance);
        assertThat(ContainerInstances.find(region, "prod", SCOPE.arn("container-instance/" + id))).contains(instance);
        assertThat(ContainerInstances.find(region, "other", instance.containerInstanceArn())).isEmpty();
        assertThat(ContainerInstances.find(region, "prod",
                "arn:aws:ecs:eu-west-1:123456789012:container-instance/prod/" + id)).isEmpty();
        assertThat(ContainerInstances.find(region, "prod", "prod/" + id)).isEmpty();
    }

    @Test
    void discoverPollEndpointAnswersSchemeHostAndPortOnly() {
        var response = instances.discoverPollEndpoint(CALLER,
                DiscoverPollEndpointRequest.builder().cluster("prod").build());

        assertThat(response.endpoint()).isEqualTo("http://acs.example:8773");
        assertThat(response.telemetryEndpoint()).isEqualTo("https://tcs.example");
        assertThat(response.serviceConnectEndpoint()).isNull();
    }

    private List<String> list(String filter) {
        return instances.listContainerInstances(CALLER,
                ListContainerInstancesRequest.builder().cluster("prod").filter(filter).build()).containerInstanceArns();
    }

    private ContainerInstance deregister(String instanceRef, boolean force) {
        return instances.deregisterContainerInstance(CALLER, DeregisterContainerInstanceRequest.builder()
                .cluster("prod").containerInstance(instanceRef).force(force).build()).containerInstance();
    }

    private ContainerInstance describe(String instanceRef, ContainerInstanceField... include) {
        return instances.describeContainerInstances(CALLER, DescribeContainerInstancesRequest.builder()
                .cluster("prod").containerInstances(instanceRef).include(include).build()).containerInstances().get(0);
    }

    private ContainerInstance register(java.util.function.Consumer<RegisterContainerInstanceRequest.Builder> change) {
        RegisterContainerInstanceRequest.Builder builder = RegisterContainerInstanceRequest.builder()
                .cluster("prod")
                .totalResources(integer("CPU", 2048), integer("MEMORY", 3764),
                        ports("PORTS", "22", "2375", "2376", "51678", "51679"), ports("PORTS_UDP"));
        change.accept(builder);
        return instances.registerContainerInstance(CALLER, builder.build()).containerInstance();
    }

    private void putTask(String id, ContainerInstance instance, String lastStatus) {
        Task task = Task.builder().taskArn(SCOPE.arn("task/prod/" + id)).clusterArn(SCOPE.arn("cluster/prod"))
                .containerInstanceArn(instance.containerInstanceArn()).lastStatus(lastStatus).build();
        state.write(SCOPE, tx -> {
            tx.put(Tasks.KIND, "prod/" + id, task);
            return null;
        });
    }

    private static String code(Runnable call) {
        try {
            call.run();
        } catch (EcsException e) {
            return e.code();
        }
        return "no error";
    }

    private static Attribute[] customAttributes(int count) {
        Attribute[] attributes = new Attribute[count];
        for (int i = 0; i < count; i++) {
            attributes[i] = attribute("custom-" + i, "v");
        }
        return attributes;
    }

    static Attribute attribute(String name, String value) {
        return Attribute.builder().name(name).value(value).build();
    }

    static Resource integer(String name, int value) {
        return Resource.builder().name(name).type("INTEGER").integerValue(value).build();
    }

    static Resource ports(String name, String... ports) {
        return Resource.builder().name(name).type("STRINGSET").stringSetValue(ports).build();
    }
}
