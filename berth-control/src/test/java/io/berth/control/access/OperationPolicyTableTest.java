package io.berth.control.access;

import static io.berth.control.access.AccessWorld.ALICE;
import static io.berth.control.access.AccessWorld.ORIGIN;
import static io.berth.control.access.AccessWorld.PROD;
import static io.berth.control.access.AccessWorld.T1;
import static io.berth.control.access.AccessWorld.arn;
import static io.berth.control.access.AccessWorld.tag;
import static io.berth.control.access.IdentityPolicy.statement;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.ControlPlane;
import io.berth.control.Operations;
import io.berth.control.iam.Authorizer;
import io.berth.model.EcsException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ecs.model.*;

/**
 * Every ECS operation Berth serves, asked by a user under each of seven identity-based policies
 * (decided by the IAM policy engine), with the expected outcome: {@code A} allowed, {@code -} no
 * statement allows it, {@code X} explicitly denied. Requests act on cluster {@code prod} and its resources (tagged {@code env=prod}); those
 * that carry tags carry {@code env=prod}.
 */
class OperationPolicyTableTest {

    /** The policies, in the order of the expectation columns. */
    private static final Map<String, Authorizer> POLICIES = new LinkedHashMap<>();

    static {
        POLICIES.put("allow ecs:*", IdentityPolicy.of(
                statement("{'Effect': 'Allow', 'Action': 'ecs:*', 'Resource': '*'}")));
        POLICIES.put("allow ecs:Describe*", IdentityPolicy.of(
                statement("{'Effect': 'Allow', 'Action': 'ecs:Describe*', 'Resource': '*'}")));
        POLICIES.put("allow ecs:* on cluster prod", IdentityPolicy.of(
                statement("{'Effect': 'Allow', 'Action': 'ecs:*', 'Resource': '" + PROD + "'}")));
        POLICIES.put("allow ecs:*, deny ecs:Delete*", IdentityPolicy.of(
                statement("{'Effect': 'Allow', 'Action': 'ecs:*', 'Resource': '*'}"),
                statement("{'Effect': 'Deny', 'Action': 'ecs:Delete*', 'Resource': '*'}")));
        POLICIES.put("allow ecs:* if ecs:cluster is prod", IdentityPolicy.of(
                statement("{'Effect': 'Allow', 'Action': 'ecs:*', 'Resource': '*',"
                        + " 'Condition': {'ArnEquals': {'ecs:cluster': '" + PROD + "'}}}")));
        POLICIES.put("allow ecs:* if resource tag env=prod", IdentityPolicy.of(
                statement("{'Effect': 'Allow', 'Action': 'ecs:*', 'Resource': '*',"
                        + " 'Condition': {'StringEquals': {'aws:ResourceTag/env': 'prod'}}}")));
        POLICIES.put("allow ecs:* if request tag env=prod", IdentityPolicy.of(
                statement("{'Effect': 'Allow', 'Action': 'ecs:*', 'Resource': '*',"
                        + " 'Condition': {'StringEquals': {'aws:RequestTag/env': 'prod'}}}")));
    }

    private static final String DEPLOYMENT = arn("service-deployment/prod/api/d1");
    private static final String REVISION = arn("service-revision/prod/api/r1");
    private static final Tag ENV_PROD = tag("env", "prod");
    private static final Attribute ON_I1 = Attribute.builder().name("stack").value("blue").targetId("i1").build();

    private static final AccessWorld WORLD = new AccessWorld();

    static Stream<Arguments> table() {
        return Stream.of(
                //                                                                              all desc prod deny clus rtag qtag
                row("CreateCluster", CreateClusterRequest.builder().clusterName("prod"),        "A - A A - - -"),
                row("DescribeClusters", DescribeClustersRequest.builder().clusters("prod"),     "A A A A - A -"),
                row("ListClusters", ListClustersRequest.builder(),                              "A - - A - - -"),
                row("UpdateCluster", UpdateClusterRequest.builder().cluster("prod"),            "A - A A - A -"),
                row("UpdateClusterSettings", UpdateClusterSettingsRequest.builder().cluster("prod"), "A - A A - A -"),
                row("PutClusterCapacityProviders", PutClusterCapacityProvidersRequest.builder().cluster("prod")
                        .capacityProviders("cp"),                                               "A - A A - A -"),
                row("DeleteCluster", DeleteClusterRequest.builder().cluster("prod"),            "A - A X - A -"),
                row("CreateCapacityProvider", CreateCapacityProviderRequest.builder().name("cp2").tags(ENV_PROD),
                                                                                                "A - - A - - A"),
                row("DescribeCapacityProviders", DescribeCapacityProvidersRequest.builder().capacityProviders("cp"),
                                                                                                "A A - A - A -"),
                row("UpdateCapacityProvider", UpdateCapacityProviderRequest.builder().name("cp"), "A - - A - A -"),
                row("DeleteCapacityProvider", DeleteCapacityProviderRequest.builder().capacityProvider("cp"),
                                                                                                "A - - X - A -"),
                row("RegisterTaskDefinition", RegisterTaskDefinitionRequest.builder().family("web").tags(ENV_PROD),
                                                                                                "A - - A - - A"),
                row("DescribeTaskDefinition", DescribeTaskDefinitionRequest.builder().taskDefinition("web:1"),
                                                                                                "A A - A - - -"),
                row("ListTaskDefinitions", ListTaskDefinitionsRequest.builder(),                "A - - A - - -"),
                row("ListTaskDefinitionFamilies", ListTaskDefinitionFamiliesRequest.builder(),  "A - - A - - -"),
                row("DeregisterTaskDefinition", DeregisterTaskDefinitionRequest.builder().taskDefinition("web:1"),
                                                                                                "A - - A - - -"),
                row("DeleteTaskDefinitions", DeleteTaskDefinitionsRequest.builder().taskDefinitions("web:1"),
                                                                                                "A - - X - A -"),
                row("RegisterContainerInstance", RegisterContainerInstanceRequest.builder().cluster("prod"),
                                                                                                "A - A A - A -"),
                // Tagging on registration is also asked as ecs:TagResource on the new instance.
                row("RegisterContainerInstance", RegisterContainerInstanceRequest.builder().cluster("prod")
                        .tags(ENV_PROD),                                                        "A - - A - - A"),
                row("DeregisterContainerInstance", DeregisterContainerInstanceRequest.builder().cluster("prod")
                        .containerInstance("i1"),                                               "A - A A - A -"),
                row("DescribeContainerInstances", DescribeContainerInstancesRequest.builder().cluster("prod")
                        .containerInstances("i1"),                                              "A A - A A A -"),
                row("ListContainerInstances", ListContainerInstancesRequest.builder().cluster("prod"), "A - A A - A -"),
                row("UpdateContainerInstancesState", UpdateContainerInstancesStateRequest.builder().cluster("prod")
                        .containerInstances("i1").status("DRAINING"),                           "A - - A A A -"),
                row("PutAttributes", PutAttributesRequest.builder().cluster("prod").attributes(ON_I1), "A - - A A A -"),
                row("DeleteAttributes", DeleteAttributesRequest.builder().cluster("prod").attributes(ON_I1),
                                                                                                "A - - X A A -"),
                row("ListAttributes", ListAttributesRequest.builder().cluster("prod").targetType("container-instance"),
                                                                                                "A - A A - A -"),
                row("DiscoverPollEndpoint", DiscoverPollEndpointRequest.builder().cluster("prod").containerInstance("i1"),
                                                                                                "A - - A - - -"),
                row("RunTask", RunTaskRequest.builder().cluster("prod").taskDefinition("web:1"),
                                                                                                "A - - A A A -"),
                // Tagging on start is also asked as ecs:TagResource on the new tasks, without ecs:cluster.
                row("RunTask", RunTaskRequest.builder().cluster("prod").taskDefinition("web:1").tags(ENV_PROD),
                                                                                                "A - - A - - A"),
                row("StartTask", StartTaskRequest.builder().cluster("prod").taskDefinition("web:1")
                        .containerInstances("i1"),                                              "A - - A A A -"),
                row("StartTask", StartTaskRequest.builder().cluster("prod").taskDefinition("web:1")
                        .containerInstances("i1").tags(ENV_PROD),                              "A - - A - - A"),
                row("StopTask", StopTaskRequest.builder().cluster("prod").task("t1"),           "A - - A A A -"),
                row("DescribeTasks", DescribeTasksRequest.builder().cluster("prod").tasks("t1"), "A A - A A A -"),
                row("ListTasks", ListTasksRequest.builder().cluster("prod"),                    "A - - A A - -"),
                row("ListTasks", ListTasksRequest.builder().cluster("prod").containerInstance("i1"), "A - - A A A -"),
                row("SubmitTaskStateChange", SubmitTaskStateChangeRequest.builder().cluster("prod").task(T1),
                                                                                                "A - A A - A -"),
                row("SubmitContainerStateChange", SubmitContainerStateChangeRequest.builder().cluster("prod").task(T1),
                                                                                                "A - A A - A -"),
                // A task of another cluster is also asked on its own cluster (and refused by the control plane).
                row("SubmitTaskStateChange", SubmitTaskStateChangeRequest.builder().cluster("prod")
                        .task(arn("task/dev/t9")),                                              "A - - A - - -"),
                row("SubmitContainerStateChange", SubmitContainerStateChangeRequest.builder().cluster("prod")
                        .task(arn("task/dev/t9")),                                              "A - - A - - -"),
                row("SubmitAttachmentStateChanges", SubmitAttachmentStateChangesRequest.builder().cluster("prod"),
                                                                                                "A - A A - A -"),
                row("CreateService", CreateServiceRequest.builder().cluster("prod").serviceName("api2")
                        .taskDefinition("web:1").tags(ENV_PROD),                                "A - - A - - A"),
                row("UpdateService", UpdateServiceRequest.builder().cluster("prod").service("api"), "A - - A A A -"),
                row("DeleteService", DeleteServiceRequest.builder().cluster("prod").service("api"), "A - - X A A -"),
                row("DescribeServices", DescribeServicesRequest.builder().cluster("prod").services("api"),
                                                                                                "A A - A A A -"),
                row("ListServices", ListServicesRequest.builder().cluster("prod"),              "A - - A A - -"),
                row("ListServicesByNamespace", ListServicesByNamespaceRequest.builder().namespace("ns"),
                                                                                                "A - - A - - -"),
                row("ListServiceDeployments", ListServiceDeploymentsRequest.builder().cluster("prod").service("api"),
                                                                                                "A - - A A A -"),
                row("DescribeServiceDeployments", DescribeServiceDeploymentsRequest.builder()
                        .serviceDeploymentArns(DEPLOYMENT),                                     "A A - A A - -"),
                row("DescribeServiceRevisions", DescribeServiceRevisionsRequest.builder()
                        .serviceRevisionArns(REVISION),                                         "A A - A A - -"),
                row("StopServiceDeployment", StopServiceDeploymentRequest.builder().serviceDeploymentArn(DEPLOYMENT),
                                                                                                "A - - A A - -"),
                row("CreateTaskSet", CreateTaskSetRequest.builder().cluster("prod").service("api")
                        .taskDefinition("web:1"),                                               "A - - A A - -"),
                row("CreateTaskSet", CreateTaskSetRequest.builder().cluster("prod").service("api")
                        .taskDefinition("web:1").tags(ENV_PROD),                                "A - - A - - A"),
                row("UpdateTaskSet", UpdateTaskSetRequest.builder().cluster("prod").service("api").taskSet("ts1"),
                                                                                                "A - - A A - -"),
                row("DeleteTaskSet", DeleteTaskSetRequest.builder().cluster("prod").service("api").taskSet("ts1"),
                                                                                                "A - - X A - -"),
                row("DescribeTaskSets", DescribeTaskSetsRequest.builder().cluster("prod").service("api")
                        .taskSets("ts1"),                                                       "A A - A A - -"),
                row("UpdateServicePrimaryTaskSet", UpdateServicePrimaryTaskSetRequest.builder().cluster("prod")
                        .service("api").primaryTaskSet("ts1"),                                  "A - - A A A -"),
                row("TagResource", TagResourceRequest.builder().resourceArn(PROD).tags(ENV_PROD), "A - A A - A A"),
                row("UntagResource", UntagResourceRequest.builder().resourceArn(PROD).tagKeys("team"), "A - A A - A -"),
                row("ListTagsForResource", ListTagsForResourceRequest.builder().resourceArn(PROD), "A - A A - A -"),
                row("PutAccountSetting", PutAccountSettingRequest.builder().name("containerInsights").value("enabled"),
                                                                                                "A - - A - - -"),
                row("PutAccountSettingDefault", PutAccountSettingDefaultRequest.builder().name("containerInsights")
                        .value("enabled"),                                                      "A - - A - - -"),
                row("DeleteAccountSetting", DeleteAccountSettingRequest.builder().name("containerInsights"),
                                                                                                "A - - X - - -"),
                row("ListAccountSettings", ListAccountSettingsRequest.builder(),                "A - - A - - -"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void eachOperationIsAllowedOrDeniedAsItsPoliciesSay(String operation, EcsRequest request, String expected) {
        StringBuilder outcomes = new StringBuilder();
        for (Authorizer policy : POLICIES.values()) {
            outcomes.append(outcomes.isEmpty() ? "" : " ").append(outcome(WORLD.access(policy), operation, request));
        }
        assertThat(outcomes.toString()).as("%s under %s", operation, POLICIES.keySet()).isEqualTo(expected);
    }

    @Test
    void theTableCoversEveryServedOperation() {
        Set<String> tabled = new TreeSet<>();
        table().forEach(args -> tabled.add((String) args.get()[0]));

        assertThat(tabled).isEqualTo(new TreeSet<>(servedOperations()));
    }

    @Test
    void everyServedOperationHasAnAuthorizationRule() {
        assertThat(servedOperations()).allSatisfy(op -> assertThat(AccessControl.covers(op)).as(op).isTrue());
        assertThat(AccessControl.operations()).containsExactlyInAnyOrderElementsOf(servedOperations());
    }

    @AfterAll
    static void close() {
        WORLD.close();
    }

    /** The operations the control plane adds to the edge's table. */
    static Set<String> servedOperations() {
        Set<String> names = new TreeSet<>();
        new ControlPlane(WORLD.state, java.time.Clock.systemUTC(), new ControlPlane.Endpoints("http://a", "http://a"))
                .addTo(new Operations() {
                    @Override
                    public <Q extends EcsRequest, R extends EcsResponse> void add(String name, Class<Q> requestType,
                            Handler<Q, R> handler) {
                        names.add(name);
                    }
                });
        return names;
    }

    private static String outcome(AccessControl access, String operation, EcsRequest request) {
        try {
            access.authorize(ALICE, operation, request, ORIGIN);
            return "A";
        } catch (EcsException e) {
            assertThat(e.code()).isEqualTo("AccessDeniedException");
            return e.getMessage().contains("explicit deny") ? "X" : "-";
        }
    }

    private static Arguments row(String operation, EcsRequest.Builder request, String expected) {
        return Arguments.of(operation, request.build(), expected);
    }
}
