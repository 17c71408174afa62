package io.berth.control.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.Caller;
import io.berth.control.ControlPlane;
import io.berth.control.Scope;
import io.berth.control.fargate.FargatePool;
import io.berth.control.state.State;
import io.berth.control.store.MemoryStore;
import io.berth.model.EcsException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.DeregisterContainerInstanceRequest;
import software.amazon.awssdk.services.ecs.model.DescribeClustersRequest;
import software.amazon.awssdk.services.ecs.model.DescribeClustersResponse;
import software.amazon.awssdk.services.ecs.model.DescribeContainerInstancesRequest;
import software.amazon.awssdk.services.ecs.model.DiscoverPollEndpointRequest;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.ListClustersRequest;
import software.amazon.awssdk.services.ecs.model.ListContainerInstancesRequest;
import software.amazon.awssdk.services.ecs.model.RegisterContainerInstanceRequest;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;

/** Hosts given to Fargate: registered into the hidden pool, which no cluster call shows. */
class FargatePoolHostsTest {

    private static final Scope SCOPE = new Scope("aws", "123456789012", "us-east-1");
    private static final Scope OTHER_REGION = new Scope("aws", "123456789012", "eu-west-1");
    private static final Caller CALLER = new Caller(SCOPE, "arn:aws:iam::123456789012:root");

    private final State state = new State(new MemoryStore(), ControlPlane.KINDS);
    private final ControlPlane plane = new ControlPlane(state,
            Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC),
            new ControlPlane.Endpoints("http://acs.example:8773", "http://acs.example:8773"));
    private final ContainerInstanceService instances = plane.containerInstances();

    @AfterEach
    void stop() {
        state.close();
    }

    /** A host registers and its agent opens its session, as {@code berth agent --fargate} does. */
    private ContainerInstance registerHost(String clusterRef) {
        ContainerInstance host = instances.registerContainerInstance(CALLER, RegisterContainerInstanceRequest.builder()
                .cluster(clusterRef).totalResources(
                        Resource.builder().name("CPU").type("INTEGER").integerValue(2048).build(),
                        Resource.builder().name("MEMORY").type("INTEGER").integerValue(4096).build())
                .attributes(Attribute.builder().name("ecs.capability.task-eni").build())
                .build()).containerInstance();
        new AgentPresence(state).connected(SCOPE, clusterRef, host.containerInstanceArn(), null);
        return host;
    }

    /** Creates cluster prod and runs one Fargate task of it, which the pool's only host gets. */
    private void runFargateTaskOfProd() {
        plane.clusters().createCluster(CALLER, CreateClusterRequest.builder().clusterName("prod").build());
        plane.taskDefinitions().registerTaskDefinition(CALLER, RegisterTaskDefinitionRequest.builder().family("web")
                .requiresCompatibilitiesWithStrings("FARGATE").networkMode("awsvpc").cpu("256").memory("512")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("busybox").essential(true)
                        .build())
                .build());
        plane.tasks().runTask(CALLER, RunTaskRequest.builder().cluster("prod").taskDefinition("web").launchType("FARGATE")
                .networkConfiguration(n -> n.awsvpcConfiguration(v -> v.subnets("subnet-0a1b2c3d"))).build());
    }

    private static void assertError(ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void aHostJoinsThePoolWithoutAnyClusterBeingCreated() {
        ContainerInstance host = registerHost(FargatePool.NAME);
        ContainerInstance byArn = registerHost(SCOPE.arn("cluster/" + FargatePool.NAME));

        assertThat(host.containerInstanceArn()).startsWith(SCOPE.arn("container-instance/berth.fargate/"));
        assertThat(host.status()).isEqualTo("ACTIVE");
        assertThat(byArn.containerInstanceArn()).startsWith(SCOPE.arn("container-instance/berth.fargate/"));
        assertThat(plane.clusters().listClusters(CALLER, ListClustersRequest.builder().build()).clusterArns())
                .isEmpty();
        assertThat(instances.discoverPollEndpoint(CALLER, DiscoverPollEndpointRequest.builder()
                .cluster(FargatePool.NAME).build()).endpoint()).isEqualTo("http://acs.example:8773");
    }

    @Test
    void thePoolAnswersEveryClusterCallAsAMissingCluster() {
        plane.clusters().createCluster(CALLER, CreateClusterRequest.builder().clusterName("prod").build());
        ContainerInstance host = registerHost(FargatePool.NAME);

        DescribeClustersResponse described = plane.clusters().describeClusters(CALLER, DescribeClustersRequest.builder()
                .clusters(FargatePool.NAME).build());

        assertThat(described.clusters()).isEmpty();
        assertThat(described.failures()).extracting(Failure::reason).containsExactly("MISSING");
        assertThat(plane.clusters().listClusters(CALLER, ListClustersRequest.builder().build()).clusterArns())
                .containsExactly(SCOPE.arn("cluster/prod"));
        assertError(() -> instances.listContainerInstances(CALLER, ListContainerInstancesRequest.builder()
                .cluster(FargatePool.NAME).build()), "ClusterNotFoundException");
        assertError(() -> instances.describeContainerInstances(CALLER, DescribeContainerInstancesRequest.builder()
                .cluster(FargatePool.NAME).containerInstances(host.containerInstanceArn()).build()),
                "ClusterNotFoundException");
        assertThat(instances.listContainerInstances(CALLER, ListContainerInstancesRequest.builder().cluster("prod")
                .build()).containerInstanceArns()).isEmpty();
        assertThat(instances.describeContainerInstances(CALLER, DescribeContainerInstancesRequest.builder()
                .cluster("prod").containerInstances(host.containerInstanceArn()).build()).failures())
                .extracting(Failure::reason).containsExactly("MISSING");
        assertError(() -> plane.clusters().createCluster(CALLER, CreateClusterRequest.builder()
                .clusterName(FargatePool.NAME).build()), "InvalidParameterException");
    }

    @Test
    void anOperatorSeesThePoolsHostsOfTheScopeWithTheTasksOfEveryCluster() {
        ContainerInstance host = registerHost(FargatePool.NAME);
        runFargateTaskOfProd();

        List<ContainerInstance> listed = new PoolHosts(state).list(SCOPE);

        assertThat(listed).singleElement().satisfies(h -> {
            assertThat(h.containerInstanceArn()).isEqualTo(host.containerInstanceArn());
            assertThat(h.pendingTasksCount()).isEqualTo(1);
            assertThat(h.runningTasksCount()).isZero();
        });
        assertThat(new PoolHosts(state).list(OTHER_REGION)).isEmpty();
    }

    @Test
    void aHostRunningFargateTasksIsOnlyDeregisteredByForce() {
        ContainerInstance host = registerHost(FargatePool.NAME);
        runFargateTaskOfProd();
        DeregisterContainerInstanceRequest.Builder deregister = DeregisterContainerInstanceRequest.builder()
                .cluster(FargatePool.NAME).containerInstance(host.containerInstanceArn());

        assertError(() -> instances.deregisterContainerInstance(CALLER, deregister.build()),
                "InvalidParameterException");
        assertThat(instances.deregisterContainerInstance(CALLER, deregister.force(true).build()).containerInstance()
                .status()).isEqualTo("INACTIVE");
        assertThat(new PoolHosts(state).list(SCOPE)).isEmpty();
    }
}
